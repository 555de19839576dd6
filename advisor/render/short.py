"""The short answer every front end shows first: where the person stands, the few things to do next, and why.

It is built once from an explained result and the rungs of the ladder, and read by the terminal, Markdown and
HTML renderers alike, so the three say the same thing in the same order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from advisor.contract.catalogue import Catalogue
from advisor.contract.result import ExplainedResult, ExplainedRuleResult
from advisor.contract.words import Words, day
from advisor.render.ladder import RUNGS, Rung, build_ladder

ACTIONS = 3
FAR = dt.date.max
VERDICT_HEADINGS = {
    "recommended": "Recommended for you",
    "possible": "Also open to you",
    "undecided": "Needs more answers",
    "not_eligible": "Not eligible now",
    "not_offered": "Not offered on this date",
}
VERDICT_WORDS = {"recommended": "recommended", "possible": "also open", "undecided": "needs more answers",
                 "not_eligible": "not eligible", "not_offered": "not offered"}
# What each rung means for the reader: where they stand when it is theirs.
STANDING_SAYS = {
    None: "you have no foreign partnership yet",
    "none": "your foreign partnership has not started yet",
    "partner_identified": "you have a foreign partner, without joint results yet",
}
STATE_ORDER = {"next": 0, "here": 1, "ahead": 2, "open": 3, "passed": 4, "later": 5}


@dataclass(frozen=True)
class Action:
    """One thing to do next: the instrument, its first step, why, its next deadline and the page to act on."""

    advice: ExplainedRuleResult
    step: str
    why: str
    when: str | None
    page: str | None

    @property
    def title(self) -> str:
        return self.advice.title


@dataclass(frozen=True)
class ShortAnswer:
    """The few lines a person reads first."""

    who: str
    as_of: str
    standing: str
    next_rung: str | None
    actions: list[Action]
    counts: dict[str, int]
    ladder: list[Rung]


def why_of(advice: ExplainedRuleResult) -> str:
    """The reason a recommendation fits, in one sentence: the rule's own first reason."""
    return advice.reasons[0] if advice.reasons else advice.summary


def when_of(advice: ExplainedRuleResult) -> str | None:
    """Its next deadline in words, else its usual calendar."""
    if advice.next_call_says:
        return advice.next_call_says
    calendar = advice.key_facts.calendar
    return f"When: {calendar}." if calendar else None


def _standing(result: ExplainedResult, words: Words, ladder: list[Rung]) -> str:
    here = next(r for r in ladder if r.state == "here")
    rung = f"the rung “{here.name}” ({RUNGS[here.index][2]})"
    if result.standing in STANDING_SAYS:
        return f"You stand on {rung}: {STANDING_SAYS[result.standing]}."
    reached = words.value("collaboration_maturity", result.standing)
    return f"You stand on {rung}: your most advanced partnership has reached {reached}."


def _deadline(advice: ExplainedRuleResult) -> dt.date:
    return advice.next_call.closes if advice.next_call else FAR


def _actions(result: ExplainedResult, ladder: list[Rung], steps: dict[str, int]) -> list[Action]:
    """What to act on first: for each partnership, the recommended instrument that serves the most goals (the
    more advanced first); then the others, by goals served, the next rung first, the soonest deadline first."""
    recommended = [a for a in result.results if a.verdict == "recommended"]
    chosen: dict[str, str] = {}  # id -> why
    partners = sorted({c.index for a in recommended for c in a.collaborations or []
                       if c.verdict == "recommended" and c.index is not None})
    for index in partners:
        fits = {a.id: c for a in recommended for c in a.collaborations or []
                if c.index == index and c.verdict == "recommended"}
        best = max((a for a in recommended if a.id in fits and a.id not in chosen),
                   key=lambda a: (len(fits[a.id].goals_served), steps.get(a.id, 0), -_deadline(a).toordinal()),
                   default=None)
        if best is not None:
            chosen[best.id] = fits[best.id].reasons[0] if fits[best.id].reasons else why_of(best)
    state = {a.id: rung.state for rung in ladder for a in rung.recommended}
    rest = sorted((a for a in recommended if a.id not in chosen),
                  key=lambda a: (-len(a.goals_served), STATE_ORDER.get(state.get(a.id, "open"), 9), _deadline(a),
                                 steps.get(a.id, 0)))
    by_id = {a.id: a for a in recommended}
    picked = [(by_id[i], why) for i, why in chosen.items()] + [(a, why_of(a)) for a in rest]
    return [Action(a, a.next_steps[0] if a.next_steps else a.summary, why, when_of(a), a.page)
            for a, why in picked[:ACTIONS]]


def short_answer(result: ExplainedResult, catalogue: Catalogue, who: str | None = None) -> ShortAnswer:
    """The short answer for one explained result of the catalogue's rulebase."""
    steps = {rule_id: text.path_step for rule_id, text in catalogue.rules.items()}
    words = catalogue.words
    ladder = build_ladder(result, steps, result.standing)
    upcoming = next((r for r in ladder if r.state == "next"), None)
    counts = {verdict: sum(1 for a in result.results if a.verdict == verdict) for verdict in VERDICT_HEADINGS}
    return ShortAnswer(
        who=who or result.profile.name or result.profile.source or "this profile", as_of=day(result.as_of),
        standing=_standing(result, words, ladder),
        next_rung=f"{upcoming.name} ({upcoming.meaning})" if upcoming else None,
        actions=_actions(result, ladder, steps), counts=counts, ladder=ladder)
