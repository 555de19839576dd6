"""The recommended path as a ladder: where the researcher stands now and the next rungs.

Rungs follow the talk: bottom-up networking and mobility, then an initiation
action, then a project, then a network, then a joint laboratory, and at the top
the institutional roles (top-down coordination, science diplomacy). Each
recommendation sits on the rung its `path_step` falls in; the researcher stands
on the rung that the maturity of their most advanced partnership has reached.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from advisor.contract.result import ExplainedResult, ExplainedRuleResult

# (lowest path_step of the rung, its name, what it means)
RUNGS = (
    (0, "Networking and mobility", "conferences, informal work, mobility grants"),
    (20, "Initiation", "a first funded action with a partner"),
    (30, "Project", "a multi-year joint project"),
    (40, "Network", "a community of teams in several countries"),
    (50, "Joint laboratory", "teams working on one site"),
    (60, "Institutional roles", "coordination for the institution, science diplomacy"),
)
# The rung reached by the most mature partnership (the rulebase's derived fact `collaboration_maturity`).
STANDING = {None: 0, "none": 0, "partner_identified": 0, "joint_results": 1, "established": 2, "structured": 3}
SHOWN = ("recommended", "possible")
STATE_SAYS = {"passed": "reached", "here": "you are here", "next": "next rung", "ahead": "further up",
              "open": "open to you", "later": "later"}


@dataclass
class Rung:
    index: int
    name: str
    meaning: str
    state: str  # passed | here | next (the first recommended rung above) | ahead | open | later
    recommended: list[ExplainedRuleResult] = field(default_factory=list)
    possible: list[ExplainedRuleResult] = field(default_factory=list)

    def lines(self, which: str, width: int = 44) -> list[str]:
        """The short names of one group of instruments, wrapped to lines of the picture (never cut)."""
        names = ", ".join(short_name(a.title) for a in getattr(self, which))
        return textwrap.wrap(names, width=width, break_on_hyphens=False) if names else []

    @property
    def says(self) -> str:
        """The rung's state in words, as the picture labels it."""
        return STATE_SAYS[self.state]


@dataclass(frozen=True)
class PictureRung:
    """One rung of the drawn ladder: where it sits and the lines written beside it."""

    rung: Rung
    y: int
    lines: list[tuple[str, str]]  # (text, recommended | possible | meaning)


def picture(rungs: list[Rung], line_height: int = 17, padding: int = 22) -> tuple[list[PictureRung], int]:
    """The drawn ladder, top rung first, each rung as tall as its lines need; and the picture's height."""
    placed, y = [], padding
    for rung in reversed(rungs):
        lines = ([(t, "recommended") for t in rung.lines("recommended")]
                 + [(t, "possible") for t in rung.lines("possible")]) or [(rung.meaning, "meaning")]
        height = max(2, len(lines)) * line_height + padding
        placed.append(PictureRung(rung, y + height // 2, lines))
        y += height
    return placed, y + padding // 2


def short_name(title: str) -> str:
    """'International Research Project (IRP)' -> 'IRP'; a title without an abbreviation stays whole."""
    match = re.search(r"\(([^(),]{2,24})(?:,[^()]*)?\)\s*$", title)
    if match and sum(c.isupper() for c in match.group(1)) >= 2:  # an acronym such as IRP or MSCA PF
        return match.group(1)
    return title


def rung_of(path_step: int) -> int:
    return max(i for i, (lowest, _, _) in enumerate(RUNGS) if path_step >= lowest)


def build_ladder(result: ExplainedResult, path_steps: dict[str, int], maturity: str | None) -> list[Rung]:
    """The rungs, bottom first, with the recommended and possible instruments on each."""
    here = STANDING.get(maturity, 0)
    rungs = [Rung(i, name, meaning, "") for i, (_, name, meaning) in enumerate(RUNGS)]
    for advice in sorted(result.results, key=lambda a: (path_steps.get(a.id, 0), a.id)):
        if advice.verdict in SHOWN:
            getattr(rungs[rung_of(path_steps.get(advice.id, 0))], advice.verdict).append(advice)
    upcoming = next((r.index for r in rungs if r.index > here and r.recommended), None)
    for rung in rungs:
        if rung.index < here:
            rung.state = "passed"
        elif rung.index == here:
            rung.state = "here"
        elif rung.index == upcoming:
            rung.state = "next"
        elif rung.recommended:
            rung.state = "ahead"
        else:
            rung.state = "open" if rung.possible else "later"
    return rungs
