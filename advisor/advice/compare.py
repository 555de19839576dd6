"""Results side by side: instruments for one researcher (status, duration, funding, calendar, who applies, what is
missing), and the verdicts that change between two evaluations (what-if).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from advisor.contract.fields import LABELS
from advisor.contract.result import (
    ExplainedPartnership,
    ExplainedResult,
    ExplainedRuleResult,
)

ASPECTS = (("status", "Status for you"), ("duration", "Duration"), ("funding", "Funding"), ("calendar", "Calendar"),
           ("who_applies", "Who applies"), ("missing", "What is missing"), ("next_step", "First step"))


@dataclass
class Compared:
    id: str
    title: str
    verdict: str
    status: str
    duration: str
    funding: str
    calendar: str
    who_applies: str
    missing: list[str] = field(default_factory=list)
    next_step: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def status_of(advice: ExplainedRuleResult) -> str:
    """The verdict in words, with the per-partnership verdicts where they differ."""
    text = advice.verdict.replace("_", " ")
    if advice.collaborations and len({c.verdict for c in advice.collaborations}) > 1:
        text += " (" + "; ".join(map(_partnership, advice.collaborations)) + ")"
    return text


def _partnership(collaboration: ExplainedPartnership) -> str:
    """One partnership's verdict: 'your partner in Italy (partnership 1): recommended'."""
    return f"{collaboration.partner}: {collaboration.verdict.replace('_', ' ')}"


def missing_of(advice: ExplainedRuleResult) -> list[str]:
    """What stands between the researcher and this instrument."""
    if advice.verdict == "not_offered":
        return list(advice.reasons)
    if advice.verdict == "undecided":
        return ["your answer on " + LABELS.get(m, m.replace("_", " ")) for m in advice.missing]
    if advice.verdict == "not_eligible":
        lines = list(advice.reasons)  # one per failed condition, with the actual and the required value
        if advice.counterfactual:
            lines.append(advice.counterfactual.text)
        return lines
    return list(advice.checklist) or ["nothing"]


def compare(result: ExplainedResult, ids: list[str]) -> list[Compared]:
    """The recommendations of `result` with these ids, in the order given (`rulebase.naming` turns the names
    people type into ids)."""
    by_id = {a.id: a for a in result.results}
    rows = []
    for wanted in dict.fromkeys(ids):
        advice = by_id[wanted]
        facts = advice.key_facts
        rows.append(Compared(id=advice.id, title=advice.title, verdict=advice.verdict, status=status_of(advice),
                             duration=facts.duration or "-", funding=facts.funding or "-",
                             calendar=facts.calendar or "-", who_applies=facts.who_applies or "-",
                             missing=missing_of(advice), next_step=advice.next_steps[0] if advice.next_steps else "-"))
    return rows


@dataclass
class VerdictChange:
    """One recommendation whose verdict differs between the current answers and the what-if."""

    id: str
    title: str
    before: ExplainedRuleResult
    after: ExplainedRuleResult


def verdict_changes(before: ExplainedResult, after: ExplainedResult) -> list[VerdictChange]:
    """Recommendations whose verdict changes, in the order of the what-if's advice."""
    old = {a.id: a for a in before.results}
    return [VerdictChange(a.id, a.title, old[a.id], a) for a in after.results
            if a.id in old and old[a.id].verdict != a.verdict]


def why(advice: ExplainedRuleResult) -> list[str]:
    """The short explanation of a verdict: for an eligible one the goal it serves (or not) first."""
    if advice.verdict in ("recommended", "possible") and advice.reasons:
        lines = [advice.reasons[-1], *advice.reasons[:1]]
    else:
        lines = list(advice.reasons[:3])
    if advice.counterfactual:
        lines.append(advice.counterfactual.text)
    return list(dict.fromkeys(lines))
