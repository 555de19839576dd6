"""The questionnaire and the rules agree: every field a rule reads is asked, every question is used.

A rulebase check (`advisor rules check` can call `check_questions`) and a test.
"""

from __future__ import annotations

from advisor.errors import Problem
from advisor.questionnaire.questions import GROUP_FIELD, QuestionSet
from advisor.rulebase.conditions import leaves
from advisor.rulebase.loader import PLACEHOLDER, Rulebase

REPORT_FIELDS = {"name"}  # shown on the report's heading
COMMAND_FIELDS = {"as_of"}  # set by `advisor ask --as-of` (default: today), not asked


def fields_read(rulebase: Rulebase) -> set[str]:
    """The input fields the rules' conditions depend on (through derived facts and computed fields too)."""
    conditions = [c for rule in rulebase.rules.values() for c in (rule.eligibility, rule.fit)]
    return {name for c in conditions for leaf in leaves(c) for name in rulebase.input_dependencies(leaf.field)}


def fields_reported(rulebase: Rulebase) -> set[str]:
    """The fields the advice shows: {placeholders} in reasons, checklists and next steps, and the name."""
    texts = [t for rule in rulebase.rules.values() for key in ("reasons", "checklist", "next_steps")
             for t in getattr(rule.spec, key)]
    return REPORT_FIELDS | {name for text in texts for name in PLACEHOLDER.findall(text)}


def check_questions(rulebase: Rulebase, questions: QuestionSet) -> list[Problem]:
    """Fields read by rules that no question asks, and questions whose field nothing uses."""
    asked = {q.field for q in questions.questions}
    problems = []
    read = fields_read(rulebase)
    for name in sorted(read - asked - COMMAND_FIELDS):
        problems.append(Problem(questions.path, f"the rules read '{name}' but no question asks it", field=name,
                                fix=f"add a question with field: {name}"))
    used = read | fields_reported(rulebase) | {GROUP_FIELD}
    for question in questions.questions:
        if question.field not in used:
            problems.append(Problem(questions.path, f"question '{question.id}' asks '{question.field}', which no rule "
                                    "reads and no report shows", field=question.field,
                                    fix="remove the question, or use the field in a rule"))
    return problems
