"""What a batch run found: counts per recommendation and verdict, why people are not eligible,
who is one condition away (near misses), and every input that could not be read.

A near miss is a profile that fails a recommendation on a single condition that a person can meet by a
change of theirs (the rulebase marks each condition changeable or not): a doctor is no near miss of a
fellowship for doctoral candidates, nor a profile without a partnership of a recommendation that a
partnership's own conditions still have to open.

Everything kept is bounded by the rulebase (ids, conditions), not by the number of profiles. What people
read names recommendations by their titles and conditions by their wording, never by their ids.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from rich.console import Console
from rich.table import Table

from advisor.advice.prose import NO_PARTNERSHIP_SAYS
from advisor.batch.formats import SHORT, Fact, md_text
from advisor.contract.result import VERDICT_ORDER
from advisor.errors import visible
from advisor.rulebase.catalogue import catalogue_of
from advisor.rulebase.loader import Rulebase

EXAMPLES = 3
TOP = 10
SHORT_TOP = 3  # near misses in the summary on the terminal
WIDE = 1_000  # the width of a summary kept in a report: wider than its tables, whose wordings wrap at their own

ConditionRef = tuple[str, int | None]  # (recommendation id, condition number; None: that a partnership exists)


def changeable_conditions(rulebase: Rulebase) -> frozenset[ConditionRef]:
    """Every eligibility condition a person can meet by a change of theirs: the only near misses counted."""
    return frozenset((rule_id, number) for rule_id, rule in rulebase.rules.items()
                     for leaf, number in rule.conditions.items() if rulebase.changeable(leaf))


@dataclass
class Summary:
    """What a run counted; the workers count their chunks (without texts), the main process merges them and
    words the failed conditions (`words`) only to report them."""

    changeable: frozenset[ConditionRef] = frozenset()  # the conditions whose single failure is a near miss
    titles: dict[str, str] = field(default_factory=dict)  # recommendation id -> title, in rulebase order
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> what each condition says, by number
    profiles: int = 0
    problems: int = 0  # problems reported
    failed_inputs: int = 0  # files or lines that could not be used
    files: int = 0
    skipped: int = 0
    repeated: int = 0  # paths named again (a file or folder inside a folder given before): read once
    seconds: float = 0.0
    assessed: Counter = field(default_factory=Counter)  # (id, verdict, failed condition numbers) -> profiles
    near_examples: dict[ConditionRef, list[str]] = field(default_factory=dict)  # (id, condition) -> sources
    near_profiles: int = 0

    @classmethod
    def of(cls, rulebase: Rulebase) -> Summary:
        """An empty summary that names the rules and words their conditions as the catalogue does."""
        catalogue = catalogue_of(rulebase)
        return cls(changeable_conditions(rulebase),
                   {rule_id: text.title for rule_id, text in catalogue.rules.items()},
                   {rule_id: tuple(c.says for c in text.conditions) for rule_id, text in catalogue.rules.items()})

    def near_miss(self, rule_id: str, verdict: str, failed: tuple[int | None, ...]) -> bool:
        """Whether a verdict is a near miss: not eligible on one condition only, and one a person can change."""
        return verdict == "not_eligible" and len(failed) == 1 and (rule_id, failed[0]) in self.changeable

    def add(self, fact: Fact) -> None:
        self.profiles += 1
        self.assessed.update(fact.verdicts)  # counted as they come; tallied per verdict and reason at the end
        near = False
        for rule_id, verdict, failed in fact.verdicts:
            if self.near_miss(rule_id, verdict, failed):
                near = True
                examples = self.near_examples.setdefault((rule_id, failed[0]), [])
                if len(examples) < EXAMPLES:
                    examples.append(fact.source)
        self.near_profiles += near

    def merge(self, later: Summary) -> None:
        """Add the counts of profiles that came after those counted so far (a worker's chunk, in input order)."""
        self.profiles += later.profiles
        self.assessed.update(later.assessed)
        self.near_profiles += later.near_profiles
        for key, examples in later.near_examples.items():
            kept = self.near_examples.setdefault(key, [])
            kept += examples[:EXAMPLES - len(kept)]

    @property
    def verdicts(self) -> Counter:
        """(id, verdict) -> profiles."""
        tally: Counter = Counter()
        for (rule_id, verdict, _), n in self.assessed.items():
            tally[rule_id, verdict] += n
        return tally

    def totals(self) -> list[int]:
        """Verdicts given over every profile and recommendation, in VERDICT_ORDER."""
        verdicts = self.verdicts
        return [sum(verdicts[rule_id, v] for rule_id in self.titles) for v in VERDICT_ORDER]

    @property
    def reasons(self) -> Counter:
        """Condition -> the not_eligible verdicts it caused."""
        return _totals(self._failures())

    def _failures(self) -> dict[str, Counter]:
        """Condition -> the recommendations it made not eligible, and how often (in the order first seen)."""
        by_id: dict[str, Counter] = {}
        for (rule_id, verdict, failed), n in self.assessed.items():
            if verdict == "not_eligible":
                for number in failed:
                    by_id.setdefault(self.says(rule_id, number), Counter())[rule_id] += n
        return by_id

    def says(self, rule_id: str, number: int | None) -> str:
        """What a rule's condition says (None: the one that a partnership exists)."""
        return NO_PARTNERSHIP_SAYS if number is None else self.words[rule_id][number]

    @property
    def near(self) -> Counter:
        """(id, condition) -> profiles one changeable condition away from that recommendation."""
        return Counter({(rule_id, failed[0]): n for (rule_id, verdict, failed), n in self.assessed.items()
                        if self.near_miss(rule_id, verdict, failed)})

    def failed(self, problems: int) -> None:
        self.failed_inputs += 1
        self.problems += problems

    def rows(self) -> list[tuple[str, list[int]]]:
        """Per recommendation title: profiles per verdict, in VERDICT_ORDER."""
        verdicts = self.verdicts
        return [(title, [verdicts[rule_id, v] for v in VERDICT_ORDER]) for rule_id, title in self.titles.items()]

    def top_reasons(self) -> list[tuple[str, int, list[str]]]:
        """The conditions that failed most often, with the titles of the recommendations they failed most often
        for."""
        by_id = self._failures()
        return [(says, n, [self.titles[i] for i, _ in by_id[says].most_common(3)])
                for says, n in _totals(by_id).most_common(TOP)]

    def top_near(self, top: int = TOP) -> list[tuple[str, str, int, list[str]]]:
        """The most frequent near misses: (title, the condition that fails, profiles, example sources)."""
        return [(self.titles[rule_id], self.says(rule_id, number), n, self.near_examples[rule_id, number])
                for (rule_id, number), n in self.near.most_common(top)]

    def rate(self) -> float:
        return self.profiles / self.seconds if self.seconds else 0.0

    def status_line(self) -> str:
        text = (f"{_count(self.profiles, 'profile')} evaluated from {_count(self.files, 'file')} in "
                f"{self.seconds:.1f} s ({self.rate():,.0f} profiles/s)")
        if self.skipped:
            text += f"; {_count(self.skipped, 'other file')} skipped"
        if self.repeated:
            text += f"; {_count(self.repeated, 'path')} named more than once, read once"
        return text + "."

    def errors_line(self) -> str:
        if not self.failed_inputs:
            return "Every input could be used."
        return (f"{_count(self.failed_inputs, 'input')} could not be used ({_count(self.problems, 'problem')}, "
                "each reported with its file and line).")

    def verdicts_line(self) -> str:
        said = ", ".join(f"{n:,} {v.replace('_', ' ')}" for v, n in zip(VERDICT_ORDER, self.totals()))
        return (f"Verdicts ({_count(self.profiles, 'profile')}, {_count(len(self.titles), 'recommendation')} "
                f"each): {said}.")


def _totals(by_id: dict[str, Counter]) -> Counter:
    """Condition -> how many not_eligible verdicts it caused, over all recommendations."""
    return Counter({says: sum(ids.values()) for says, ids in by_id.items()})


def _print(console, text: str) -> None:
    console.print(text, highlight=False, markup=False, soft_wrap=True)


def render_short(summary: Summary, console, full: str) -> None:
    """The summary on the terminal, in a few lines: verdicts, the top near misses, errors, and `full`: where the
    full summary is (or how to have it)."""
    _print(console, summary.status_line())
    if summary.profiles:
        _print(console, summary.verdicts_line())
        if summary.near:
            _print(console, f"Near misses: {_near_line(summary.near_profiles)} from a recommendation, on a condition "
                            "they can change; most often:")
            for title, says, n, _ in summary.top_near(SHORT_TOP):
                _print(console, f"  {_count(n, 'profile')}: {title}, if {says}")
        else:
            _print(console, "Near misses: none (no profile fails a recommendation on one condition it can change).")
    _print(console, summary.errors_line())
    _print(console, full)


def render_text(summary: Summary) -> str:
    """The full summary as plain tables, for a table report (a file, or standard output that is no terminal):
    nothing is cut; long wordings wrap between words."""
    text = io.StringIO()
    _render_text(summary, Console(file=text, width=WIDE, color_system=None, highlight=False))
    return "".join(line.rstrip() + "\n" for line in text.getvalue().splitlines())  # titles come padded


def _render_text(summary: Summary, console: Console) -> None:
    if not summary.profiles:
        _print(console, summary.status_line())
        _print(console, summary.errors_line())
        return
    table = Table(title="Verdicts per recommendation (profiles)", title_justify="left")
    table.add_column("recommendation", max_width=48, overflow="fold")
    for verdict in VERDICT_ORDER:
        table.add_column(verdict.replace("_", " "), justify="right")
    for title, numbers in summary.rows():
        table.add_row(title, *(f"{n:,}" for n in numbers))
    console.print(table)
    if summary.reasons:
        reasons = Table(title="Most common reasons for not eligible", title_justify="left")
        reasons.add_column("condition that failed", max_width=60, overflow="fold")
        reasons.add_column("verdicts", justify="right")
        reasons.add_column("mostly for", max_width=48, overflow="fold")
        for says, n, titles in summary.top_reasons():
            reasons.add_row(says, f"{n:,}", "\n".join(titles))
        console.print(reasons)
    if summary.near:
        near = Table(title=f"Near misses: {_near_line(summary.near_profiles)} from a recommendation, on a "
                           "condition they can change", title_justify="left")
        near.add_column("recommendation", max_width=40, overflow="fold")
        near.add_column("the one condition that fails", max_width=60, overflow="fold")
        near.add_column("profiles", justify="right")
        near.add_column("for example", no_wrap=True)
        for title, says, n, examples in summary.top_near():
            near.add_row(title, says, f"{n:,}", "\n".join(map(visible, examples)))
        console.print(near)
    _print(console, "Columns of the profiles: " + ", ".join(f"{s}: {v.replace('_', ' ')}" for v, s in SHORT.items()))
    _print(console, summary.status_line())
    _print(console, summary.errors_line())


def render_markdown(summary: Summary, chart: str | None) -> str:
    """The summary as Markdown, with the chart (a file beside the report) linked when there is one."""
    lines = ["# Batch advice report", "", md_text(summary.status_line()), "", md_text(summary.errors_line()), ""]
    if chart:  # a link, so spaces, brackets and accents are percent-encoded: `my report.svg` is `my%20report.svg`
        lines += [f"![Verdicts per recommendation]({quote(os.fsencode(chart))})", ""]
    lines += ["## Verdicts per recommendation", "",
              "| recommendation | " + " | ".join(v.replace("_", " ") for v in VERDICT_ORDER) + " |",
              "|---|" + "---:|" * len(VERDICT_ORDER)]
    lines += [f"| {md_text(title)} | " + " | ".join(f"{n:,}" for n in numbers) + " |"
              for title, numbers in summary.rows()]
    if summary.reasons:
        lines += ["", "## Most common reasons for not eligible", "", "| condition that failed | verdicts | mostly for |",
                  "|---|---:|---|"]
        lines += [f"| {md_text(says)} | {n:,} | " + "; ".join(map(md_text, titles)) + " |"
                  for says, n, titles in summary.top_reasons()]
    if summary.near:
        lines += ["", "## Near misses", "",
                  f"{_near_line(summary.near_profiles)} from at least one recommendation, on a condition they can "
                  "change (conditions nobody can change, such as a past career stage or the year of a PhD, are left "
                  "out).", "",
                  "| recommendation | the one condition that fails | profiles | for example |", "|---|---|---:|---|"]
        lines += [f"| {md_text(title)} | {md_text(says)} | {n:,} | " + ", ".join(md_text(e) for e in examples) + " |"
                  for title, says, n, examples in summary.top_near()]
    return "\n".join(lines) + "\n\n## Profiles\n\n"


def _near_line(profiles: int) -> str:
    return f"{_count(profiles, 'profile')} {'is' if profiles == 1 else 'are'} one condition away"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
