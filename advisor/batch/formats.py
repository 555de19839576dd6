"""Per-profile output in each format, made in the worker processes: bytes plus the summary's facts.

Each format asks the advisor for only what it shows: the table and Markdown rows, the verdicts
(`Advisor.verdicts`: no result, no text); JSON, the result contract, compact (`--full`: with its
texts); CSV, the result and, per recommendation, its texts, written once per situation. Each
returns the bytes the main process appends to the report (a JSON Lines line, CSV rows, a table
line, a Markdown table row) and a `Fact`: what the summary counts.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, NamedTuple

from advisor.advice.advisor import Advisor, RuleVerdict
from advisor.advice.assess import best
from advisor.advice.memo import ByObject, Memo
from advisor.batch.pseudonyms import PERSONAL_FIELDS
from advisor.contract.profile import Profile
from advisor.contract.result import Assessment, RuleResult, dump_compact
from advisor.errors import visible


class Fact(NamedTuple):
    """One profile, as the summary counts it: (id, verdict, the numbers of the failed conditions) per
    recommendation."""

    source: str
    verdicts: tuple[tuple[str, str, tuple[int | None, ...]], ...]


class Format:
    """What every format shares: the advisor, and the facts of each profile for the summary."""

    @staticmethod
    def header(anonymized: bool) -> str:
        """What the report starts with, before the profiles."""
        return ""

    def __init__(self, advisor: Advisor, anonymized: bool = False, full: bool = False):
        self.advisor, self.anonymized, self.full = advisor, anonymized, full

    @staticmethod
    def result_fact(source: str, results: list[RuleResult]) -> Fact:
        return Fact(source, tuple((r.id, r.verdict, tuple(f.condition for f in r.failed_conditions))
                                  for r in results))


class JsonFormat(Format):
    """The result contract, one JSON object per line (JSON Lines, and the items of a JSON list): compact, or with
    every text (`full`)."""

    def __call__(self, profile: Profile, source: str, today) -> tuple[bytes, Fact]:
        result = self.advisor.evaluate(profile, source, today)
        text = self.advisor.explain(result).model_dump_json() if self.full else dump_compact(result)
        return (text + "\n").encode(), self.result_fact(source, result.results)


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe.

    Numbers (and text that is exactly a number) stay numbers.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvFormat(Format):
    """One row per profile and recommendation: a flat table for spreadsheets and pandas."""

    PROFILE_COLUMNS = ("career_stage", "employer", "country", "nationality", "gender")

    def __init__(self, advisor: Advisor, anonymized: bool = False, full: bool = False):
        super().__init__(advisor, anonymized, full)
        self.profile_columns = self.profile_columns_of(anonymized)
        self._cells_of = ByObject(advisor.memory)  # a result recurs across profiles: its cells too
        self._cells_by_content = Memo(advisor.memory)

    @classmethod
    def profile_columns_of(cls, anonymized: bool) -> list[str]:
        return [c for c in cls.PROFILE_COLUMNS if not (anonymized and c in PERSONAL_FIELDS)]

    @classmethod
    def header(cls, anonymized: bool) -> str:
        """The column names, after a byte order mark: without it, Excel reads UTF-8 as the system's code page
        (Hélène becomes HÃ©lÃ¨ne); pandas skips it, Python's csv module needs encoding="utf-8-sig"."""
        columns = ["source", "name", "as_of", *cls.profile_columns_of(anonymized), "partnerships", "id", "title",
                   "verdict", "goals_served", "failed_conditions", "missing", "counterfactual", "reasons"]
        return "\ufeff" + cls._rows([[safe_cell(c) for c in columns]])

    @staticmethod
    def _rows(rows: list[list[Any]]) -> str:
        """CSV text of rows whose cells are already safe (see `safe_cell`)."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        return buffer.getvalue()

    def __call__(self, profile: Profile, source: str, today) -> tuple[bytes, Fact]:
        result = self.advisor.evaluate(profile, source, today)
        values = profile.__dict__
        front = [safe_cell(v) for v in (source, profile.name, result.as_of.isoformat(),
                                        *(values.get(c) for c in self.profile_columns),
                                        None if profile.collaborations is None else len(profile.collaborations))]
        # A row is its cells joined, each quoted on its own: the profile's part is written once, and each
        # recommendation's part (which recurs across profiles) is remembered as CSV text.
        start = self._rows([front])[:-2] + ","
        rows = "".join([start + self._cells(r, result.as_of) for r in result.results])
        return rows.encode(), self.result_fact(source, result.results)

    def _cells(self, result: RuleResult, as_of) -> str:
        """A recommendation's cells as the end of a CSV row, remembered on the object that says them: the result,
        or its best partnership (shared by every profile in that situation); for one whose reason names the date (not
        offered yet, or between calls), on the date too; and on the name it had then."""
        names_date = result.verdict == "not_offered" and self.advisor.prose.names_the_date(result.id, as_of)
        said = best(result.collaborations) if result.collaborations else result
        dated = as_of if names_date else None
        era = self.advisor.prose.catalogue.rules[result.id].era(as_of)
        return self._cells_of.get(said, lambda: self._cells_said(result, said, as_of, dated, era), result.id, dated,
                                  era)

    def _cells_said(self, result: RuleResult, said: Assessment, as_of, dated, era) -> str:
        """A recommendation's cells, remembered on what they say: profiles whose results differ only in what the
        CSV leaves out (the answers behind a derived fact, the partnership's place) share them."""
        key = (result.id, dated, era, *_said(said))
        found = self._cells_by_content.get(key)
        return found if found is not None else self._cells_by_content.keep(key, self._made_cells(result, said, as_of))

    def _made_cells(self, result: RuleResult, said: Assessment, as_of) -> str:
        """The cells, worded from the assessment that speaks for the result and its rule's texts."""
        prose = self.advisor.prose
        text = prose.catalogue.rules[result.id]
        cells = (result.id, prose.title(text, as_of), said.verdict, "; ".join(said.goals_served),
                 "; ".join(f"{prose.says(f, text)} (you: {_plain(f.actual)}; needed: {f.required})"
                           for f in said.failed_conditions), "; ".join(said.missing),
                 prose.counterfactual_text(prose.changes(said.counterfactual)) if said.counterfactual else None,
                 " | ".join(prose.reasons(said, text, as_of)))
        return self._rows([[safe_cell(v) for v in cells]])


def _said(a: Assessment) -> tuple:
    """What an assessment's CSV cells show, as a key: the verdict, goals, conditions held and failed (with the values
    they saw and need: a parameter's value depends on the date), missing answers, the counterfactual's changes and the values the texts show."""
    return (a.verdict, tuple(a.goals_served), tuple(a.held_conditions),
            tuple((f.condition, _key(f.actual), f.required) for f in a.failed_conditions), tuple(a.missing),
            None if a.counterfactual is None else tuple((c.field, _key(c.value)) for c in a.counterfactual.changes),
            tuple((name, _key(value)) for name, value in a.shown.items()))


def _key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _plain(value: Any) -> str:
    if value in (None, []):
        return "none"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


SHORT = {"recommended": "rec", "possible": "pos", "undecided": "und", "not_eligible": "n-e", "not_offered": "n-o"}


def _tally(verdicts: list[RuleVerdict]) -> dict[str, int]:
    """How many recommendations got each verdict."""
    tally = dict.fromkeys(SHORT, 0)
    for v in verdicts:
        tally[v.verdict] += 1
    return tally


class TableFormat(Format):
    """A readable line per profile, for the terminal, written as results come: from the verdicts alone. Columns
    are padded, never cut: a longer file name or name pushes the rest of its line (a terminal wraps it)."""

    WIDTHS = (34, 22, 10)

    @classmethod
    def header(cls, anonymized: bool) -> str:
        a, b, c = cls.WIDTHS
        return (f"{'profile':<{a}} {'name':<{b}} {'as of':<{c}} " + " ".join(f"{s:>3}" for s in SHORT.values())
                + "  recommended\n")

    def __call__(self, profile: Profile, source: str, today) -> tuple[bytes, Fact]:
        as_of, verdicts = self.advisor.verdicts(profile, today, source)
        a, b, c = self.WIDTHS
        tally = _tally(verdicts)
        ids = ", ".join(v.id for v in verdicts if v.verdict == "recommended") or "-"
        line = (f"{visible(source):<{a}} {profile.name or '':<{b}} "
                f"{as_of.isoformat():<{c}} " + " ".join(f"{tally[v]:>3}" for v in SHORT) + f"  {ids}")
        return (line.replace("\n", " ") + "\n").encode(), Fact(source, tuple(verdicts))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def md_text(text: Any) -> str:
    """Text safe inside a Markdown table cell: no markup, no HTML, no line breaks, no terminal codes."""
    return visible(_MD_SPECIAL.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " "))


class MarkdownFormat(Format):
    """A Markdown table row per profile (the report's summary comes first; see writers): from the verdicts alone,
    recommendations named by the titles they had on the date of the advice."""

    @staticmethod
    def header(anonymized: bool) -> str:
        return ("| profile | name | as of | recommended | possible | undecided | not eligible | not offered |\n"
                "|---|---|---|---|---|---|---|---|\n")

    def __call__(self, profile: Profile, source: str, today) -> tuple[bytes, Fact]:
        as_of, verdicts = self.advisor.verdicts(profile, today, source)
        tally = _tally(verdicts)
        prose = self.advisor.prose
        titles = "; ".join(md_text(prose.title(prose.catalogue.rules[v.id], as_of))
                           for v in verdicts if v.verdict == "recommended") or "-"
        cells = [md_text(source), md_text(profile.name or ""), as_of.isoformat(),
                 titles, *(str(tally[v]) for v in ("possible", "undecided", "not_eligible", "not_offered"))]
        return ("| " + " | ".join(cells) + " |\n").encode(), Fact(source, tuple(verdicts))


FORMATTERS = {"table": TableFormat, "csv": CsvFormat, "json": JsonFormat, "jsonl": JsonFormat,
              "markdown": MarkdownFormat}
FORMATS = tuple(FORMATTERS)
