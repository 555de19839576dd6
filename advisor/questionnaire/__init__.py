"""The questionnaire of `advisor ask`: questions as data, what to ask next, the answers file, the prompts.

- `questions`: the model and loader of `rules/questions.yaml`;
- `state`: the answers given so far and the questionnaire's bookkeeping;
- `planner`: which question matters next (three-valued evaluation of the rules);
- `store`: the answers file, written atomically after every answer;
- `flow`: the session (next question, back, review), independent of the terminal;
- `prompts`: the terminal prompts (questionary);
- `replay`: answering from a profile, for benchmarks and tests.
"""
