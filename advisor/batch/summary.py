"""What a batch run found: counts per recommendation and verdict, why people are not eligible,
who is one condition away (near misses), and every input that could not be read.

Everything kept is bounded by the rulebase (ids, conditions), not by the number of profiles.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from rich.table import Table

from advisor.advice.prose import NO_PARTNERSHIP_SAYS
from advisor.batch.formats import SHORT, Fact, md_text
from advisor.contract.catalogue import Catalogue
from advisor.contract.result import VERDICT_ORDER
from advisor.errors import visible

EXAMPLES = 3
TOP = 10


@dataclass
class Summary:
    """What a run counted; the workers count their chunks (without texts), the main process merges them and
    words the failed conditions (`words`) only to report them."""

    titles: dict[str, str]  # recommendation id -> title, in rulebase order
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> what each condition says, by number
    profiles: int = 0
    problems: int = 0  # problems reported
    failed_inputs: int = 0  # files or lines that could not be used
    files: int = 0
    skipped: int = 0
    repeated: int = 0  # paths named again (a file or folder inside a folder given before): read once
    seconds: float = 0.0
    assessed: Counter = field(default_factory=Counter)  # (id, verdict, failed condition numbers) -> profiles
    near_examples: dict[tuple[str, int | None], list[str]] = field(default_factory=dict)  # (id, condition) -> sources
    near_profiles: int = 0

    @classmethod
    def of(cls, catalogue: Catalogue) -> Summary:
        """An empty summary that names the rules and words their conditions as the catalogue does."""
        return cls({rule_id: text.title for rule_id, text in catalogue.rules.items()},
                   {rule_id: tuple(c.says for c in text.conditions) for rule_id, text in catalogue.rules.items()})

    def add(self, fact: Fact) -> None:
        self.profiles += 1
        self.assessed.update(fact.verdicts)  # counted as they come; tallied per verdict and reason at the end
        near = False
        for rule_id, verdict, failed in fact.verdicts:
            if len(failed) == 1 and verdict == "not_eligible":
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
        """(id, condition) -> profiles one condition away from that recommendation."""
        return Counter({(rule_id, failed[0]): n for (rule_id, verdict, failed), n in self.assessed.items()
                        if verdict == "not_eligible" and len(failed) == 1})

    def failed(self, problems: int) -> None:
        self.failed_inputs += 1
        self.problems += problems

    def rows(self) -> list[tuple[str, list[int]]]:
        """Per recommendation id: profiles per verdict, in VERDICT_ORDER."""
        verdicts = self.verdicts
        return [(rule_id, [verdicts[rule_id, v] for v in VERDICT_ORDER]) for rule_id in self.titles]

    def top_reasons(self) -> list[tuple[str, int, list[str]]]:
        """The conditions that failed most often, with the recommendations they failed most often for."""
        by_id = self._failures()
        return [(says, n, [i for i, _ in by_id[says].most_common(3)]) for says, n in _totals(by_id).most_common(TOP)]

    def top_near(self) -> list[tuple[str, str, int, list[str]]]:
        return [(rule_id, self.says(rule_id, number), n, self.near_examples[rule_id, number])
                for (rule_id, number), n in self.near.most_common(TOP)]

    def rate(self) -> float:
        return self.profiles / self.seconds if self.seconds else 0.0

    def status_line(self) -> str:
        text = (f"{_count(self.profiles, 'profile')} evaluated from {_count(self.files, 'file')} in "
                f"{self.seconds:.1f} s ({self.rate():,.0f} profiles/s)")
        if self.failed_inputs:
            text += (f"; {_count(self.failed_inputs, 'input')} could not be used "
                     f"({_count(self.problems, 'problem')}, listed above)")
        if self.skipped:
            text += f"; {_count(self.skipped, 'other file')} skipped"
        if self.repeated:
            text += f"; {_count(self.repeated, 'path')} named more than once, read once"
        return text + "."


def _totals(by_id: dict[str, Counter]) -> Counter:
    """Condition -> how many not_eligible verdicts it caused, over all recommendations."""
    return Counter({says: sum(ids.values()) for says, ids in by_id.items()})


def render_terminal(summary: Summary, console) -> None:
    """The summary as rich tables (on the terminal, or as plain text when piped)."""
    if not summary.profiles:
        console.print(summary.status_line(), highlight=False, markup=False, soft_wrap=True)
        return
    table = Table(title="Verdicts per recommendation (profiles)", title_justify="left")
    table.add_column("recommendation", no_wrap=True)
    for verdict in VERDICT_ORDER:
        table.add_column(SHORT[verdict], justify="right")
    for rule_id, numbers in summary.rows():
        table.add_row(rule_id, *(f"{n:,}" for n in numbers))
    console.print(table)
    if summary.reasons:
        reasons = Table(title="Most common reasons for not eligible", title_justify="left")
        reasons.add_column("condition that failed")
        reasons.add_column("verdicts", justify="right")
        reasons.add_column("mostly for")
        for says, n, ids in summary.top_reasons():
            reasons.add_row(says, f"{n:,}", ", ".join(ids))
        console.print(reasons)
    if summary.near:
        near = Table(title=f"Near misses: {_near_line(summary.near_profiles)} from a recommendation",
                     title_justify="left")
        near.add_column("recommendation", no_wrap=True)
        near.add_column("the one condition that fails")
        near.add_column("profiles", justify="right")
        near.add_column("for example")
        for rule_id, says, n, examples in summary.top_near():
            near.add_row(rule_id, says, f"{n:,}", "\n".join(map(visible, examples)))
        console.print(near)
    console.print("rec: recommended, pos: possible, und: undecided, n-e: not eligible, n-o: not offered")
    console.print(summary.status_line(), highlight=False, markup=False, soft_wrap=True)


def render_markdown(summary: Summary, chart: str | None) -> str:
    """The summary as Markdown, with the chart (a file beside the report) linked when there is one."""
    lines = ["# Batch advice report", "", md_text(summary.status_line()), ""]
    if chart:  # a link, so spaces, brackets and accents are percent-encoded: `my report.svg` is `my%20report.svg`
        lines += [f"![Verdicts per recommendation]({quote(os.fsencode(chart))})", ""]
    lines += ["## Verdicts per recommendation", "",
              "| recommendation | " + " | ".join(v.replace("_", " ") for v in VERDICT_ORDER) + " |",
              "|---|" + "---:|" * len(VERDICT_ORDER)]
    lines += [f"| `{rule_id}` {md_text(summary.titles[rule_id])} | " + " | ".join(f"{n:,}" for n in numbers) + " |"
              for rule_id, numbers in summary.rows()]
    if summary.reasons:
        lines += ["", "## Most common reasons for not eligible", "", "| condition that failed | verdicts | mostly for |",
                  "|---|---:|---|"]
        lines += [f"| {md_text(says)} | {n:,} | " + ", ".join(f"`{i}`" for i in ids) + " |"
                  for says, n, ids in summary.top_reasons()]
    if summary.near:
        lines += ["", "## Near misses", "",
                  f"{_near_line(summary.near_profiles)} from at least one recommendation.", "",
                  "| recommendation | the one condition that fails | profiles | for example |", "|---|---|---:|---|"]
        lines += [f"| `{rule_id}` | {md_text(says)} | {n:,} | " + ", ".join(md_text(e) for e in examples) + " |"
                  for rule_id, says, n, examples in summary.top_near()]
    return "\n".join(lines) + "\n\n## Profiles\n\n"


def _near_line(profiles: int) -> str:
    return f"{_count(profiles, 'profile')} {'is' if profiles == 1 else 'are'} one condition away"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
