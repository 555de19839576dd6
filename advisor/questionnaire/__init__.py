"""The questionnaire of `advisor ask`: questions as data, what to ask next, the answers file, the prompts.

- `questions`: the model and loader of `rules/questions.yaml`;
- `state`: the answers given so far and the questionnaire's bookkeeping;
- `planner`: which question matters next (three-valued evaluation of the rules);
- `bookkeeping`: the answers to and from a profile (its `questionnaire:` section), owning no file;
- `store`: the answers file of `advisor ask`, written atomically after every answer;
- `flow`: the session (next question, back, review), independent of the terminal;
- `prompts`: the terminal prompts (questionary);
- `replay`: answering from a profile, for benchmarks and tests.
"""
