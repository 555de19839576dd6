"""The questionnaire's `questions.yaml` against the rules: each question asks a real field, each field read is asked.

Only `id` and `field` of each question are read here; the questionnaire
owns the rest of the file. `field` names a profile field (`career_stage`)
or a partnership's (`collaboration.stage`).
"""

from __future__ import annotations

from advisor.contract.fields import COLLAB
from advisor.contract.profile import Collaboration, Profile
from advisor.errors import Problem, did_you_mean, display_path
from advisor.questionnaire.questions import refused_by_ask
from advisor.rulebase.conditions import leaves
from advisor.toolkit.checks.catalog import Context, check

NOT_ASKED = {"as_of"}  # the date of the advice defaults to today; no question needs to ask it
ASKABLE = {n for n in Profile.model_fields if n not in ("schema_version", "questionnaire")} | \
    {COLLAB + n for n in Collaboration.model_fields}


@check("R601", "no-questions", "info", "the rulebase has no questions.yaml: the question checks are skipped")
def no_questions(context: Context):
    if context.questions is None:
        path = display_path(context.rulebase.directory / "questions.yaml")
        yield Problem(path, "does not exist: questions are not checked against the rules", fix="add questions.yaml "
                      "if this rulebase has its own questionnaire")


@check("R602", "questions-file", "error",
       "questions.yaml is not a list of well-formed questions (anything `advisor ask` would refuse), or an id repeats")
def questions_file(context: Context):
    questions = context.questions
    if questions is None:
        return
    yield from questions.problems
    if not questions.listed:
        return  # unreadable, or no list of questions: said above
    said = {p.field for p in questions.problems}  # a question that is no mapping, or has no id
    seen: dict[object, int] = {}
    for i, question_id, name in questions.items:
        line, column = questions.doc.where(("questions", i, "id"))
        if question_id in seen:
            said.add(f"questions[{i}].id")
            yield Problem(questions.doc.path, f"question id '{question_id}' is also used on line {seen[question_id]}",
                          line, column, f"questions[{i}].id", "give each question its own id", code="duplicate-id")
        seen.setdefault(question_id, line)
        if name is None or name not in ASKABLE:  # said by question-without-field and question-unknown-field
            said.add(f"questions[{i}].field")
    # Everything else `advisor ask` would refuse (a misspelt type or key, a choice that is no value of its field...),
    # found here rather than by the first person to start the questionnaire.
    yield from (p for p in refused_by_ask(questions.doc, context.rulebase)
                if p.field not in said and (p.field or "").removesuffix(".id") not in said)


@check("R603", "question-unknown-field", "error", "a question is bound to a field the profile does not have")
def question_unknown_field(context: Context):
    for i, question_id, name in context.questions.items if context.questions else ():
        if name is not None and name not in ASKABLE:
            guess = did_you_mean(str(name), ASKABLE)
            line, column = context.questions.doc.where(("questions", i, "field"))
            yield Problem(context.questions.doc.path, f"question '{question_id}' is bound to '{name}', which is no "
                          "profile field", line, column, f"questions[{i}].field",
                          f"did you mean '{guess}'?" if guess else "see `advisor schema profile` for the fields")


@check("R604", "question-without-field", "error", "a question is bound to no field: `advisor ask` refuses it")
def question_without_field(context: Context):
    for i, question_id, name in context.questions.items if context.questions else ():
        if name is None:
            line, column = context.questions.doc.where(("questions", i))
            yield Problem(context.questions.doc.path, f"question '{question_id}' is bound to no field", line, column,
                          f"questions[{i}]", "add field: <profile field> (e.g. career_stage, collaboration.stage)")


def _read_by_rules(context: Context) -> dict[str, str]:
    """Every answer the rules depend on -> the first rule or fact that reads it."""
    rulebase = context.rulebase
    owners = [(r.id, [r.eligibility, r.fit]) for r in rulebase.rules.values()]
    owners += [(f"derived fact {f.id}", [c for _, c in f.cases]) for f in rulebase.derived.values()]
    readers: dict[str, str] = {}
    for owner, conditions in owners:
        for leaf in (leaf for c in conditions for leaf in leaves(c)):
            for name in rulebase.input_dependencies(leaf.field) if leaf.field in rulebase.fields else ():
                readers.setdefault(name, owner)
    return readers


@check("R605", "field-not-asked", "warning", "the rules read an answer that no question asks")
def field_not_asked(context: Context):
    if context.questions is None or not context.questions.listed:
        return
    asked = {name for _, _, name in context.questions.items}
    line, column = context.questions.doc.where(("questions",))
    for name, owner in sorted(_read_by_rules(context).items()):
        if name not in asked and name not in NOT_ASKED:
            yield Problem(context.questions.doc.path, f"no question asks {name}, which {owner} reads", line, column,
                          "questions", f"add a question with field: {name}")
