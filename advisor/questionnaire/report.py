"""What the questionnaire tells the person besides the advice: questions not asked, answers still missing."""

from __future__ import annotations

from advisor.questionnaire.flow import partner_name
from advisor.questionnaire.planner import PREFILLED, Candidate
from advisor.questionnaire.questions import QuestionSet
from advisor.questionnaire.state import Answers, step_of


def not_asked_lines(answers: Answers, questions: QuestionSet) -> list[str]:
    """One line per question not asked and why; pre-filled answers are counted, not listed."""
    lines, prefilled = [], 0
    for key, reason in answers.skipped.items():
        step = step_of(key, questions)
        if step is None:
            continue
        if reason == PREFILLED:
            prefilled += 1
            continue
        label = step.question.label
        if step.another:
            label = "another partner"
        elif step.partner is not None:
            label = f"{partner_name(answers, step.partner)}: {label}"
        lines.append(f"{label[:1].upper()}{label[1:]}: {reason}")
    if prefilled:
        lines.append(f"{prefilled} question{'s were' if prefilled > 1 else ' was'} answered before this questionnaire "
                     "(in the file or session it started from).")
    return lines


def missing_lines(candidates: list[Candidate]) -> list[str]:
    """The questions that still matter, with the field to fill in a profile file and its allowed values."""
    lines = []
    for candidate in candidates:
        step = candidate.step
        question = step.question
        if step.another:
            lines.append(f"{question.field}: {question.spec.add_another} (add an entry to the list)")
            continue
        values = [str(v).lower() if isinstance(v, bool) else str(v) for v, _ in question.choices()]
        if question.type == "group":
            values = ["a list of partnerships", "[] for none"]
        allowed = f" ({' | '.join(values)})" if values else ""
        lines.append(f"{step.path}: {question.spec.prompt}{allowed}")
    return lines
