"""Per-profile output in each format, made in the worker processes: bytes plus the summary's facts.

Each formatter turns one `Evaluation` into the bytes the main process appends to the output (a JSON
Lines line, CSV rows, a table line, a Markdown table row) and a `Fact`: what the summary needs.
The JSON formats pass the evaluation's JSON through untouched.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, NamedTuple

from advisor.advice.advisor import Evaluation, RuleAdvice
from advisor.advice.memo import Memo
from advisor.batch.pseudonyms import PERSONAL_FIELDS
from advisor.contract.profile import Profile
from advisor.errors import visible
from advisor.rulebase.loader import Rulebase


class Fact(NamedTuple):
    """One profile, as the summary counts it: (id, verdict, failed conditions) for each recommendation."""

    source: str
    verdicts: tuple[tuple[str, str, tuple[str, ...]], ...]


def fact_of(evaluation: Evaluation, source: str) -> Fact:
    return Fact(source, tuple((a.id, a.verdict, a.failed) for a in evaluation.advice))


SHORT = {"recommended": "rec", "possible": "pos", "undecided": "und", "not_eligible": "n-e", "not_offered": "n-o"}


def counts(evaluation: Evaluation) -> dict[str, int]:
    tally = dict.fromkeys(SHORT, 0)
    for advice in evaluation.advice:
        tally[advice.verdict] += 1
    return tally


def recommended(evaluation: Evaluation) -> list[str]:
    return [a.id for a in evaluation.advice if a.verdict == "recommended"]


class JsonFormat:
    """The result contract, one compact JSON object per profile (JSON Lines, and the items of a JSON list)."""

    def __init__(self, rulebase: Rulebase, anonymized: bool = False):
        """Every format is built alike; this one needs neither the rulebase nor the anonymizing flag."""

    def __call__(self, evaluation: Evaluation, profile: Profile, source: str) -> tuple[bytes, Fact]:
        return evaluation.json + b"\n", fact_of(evaluation, source)


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


class CsvFormat:
    """One row per profile and recommendation: a flat table for spreadsheets and pandas."""

    PROFILE_COLUMNS = ("career_stage", "employer", "country", "nationality", "gender")

    def __init__(self, rulebase: Rulebase, anonymized: bool = False):
        self.profile_columns = [c for c in self.PROFILE_COLUMNS if not (anonymized and c in PERSONAL_FIELDS)]
        self.columns = ["source", "name", "as_of", *self.profile_columns, "partnerships", "id", "title", "verdict",
                        "goals_served", "failed_conditions", "missing", "counterfactual", "reasons"]
        self.titles = {rule_id: rule.spec.title for rule_id, rule in rulebase.rules.items()}
        self._advice_cells = Memo(4096)  # a recommendation's assessment recurs across profiles: its cells too

    def header(self) -> str:
        """The column names, after a byte order mark: without it, Excel reads UTF-8 as the system's code page
        (Hélène becomes HÃ©lÃ¨ne); pandas skips it, Python's csv module needs encoding="utf-8-sig"."""
        return "\ufeff" + self._rows([[safe_cell(c) for c in self.columns]])

    @staticmethod
    def _rows(rows: list[list[Any]]) -> str:
        """CSV text of rows whose cells are already safe (see `safe_cell`)."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        return buffer.getvalue()

    def __call__(self, evaluation: Evaluation, profile: Profile, source: str) -> tuple[bytes, Fact]:
        values = profile.__dict__
        front = [safe_cell(v) for v in (source, profile.name, evaluation.as_of.isoformat(),
                                        *(values.get(c) for c in self.profile_columns),
                                        None if profile.collaborations is None else len(profile.collaborations))]
        # A row is its cells joined, each quoted on its own: the profile's part is written once, and each
        # recommendation's part (which recurs across profiles) is remembered as CSV text.
        start = self._rows([front])[:-2] + ","
        rows = "".join([start + self._cells(advice) for advice in evaluation.advice])
        return rows.encode(), fact_of(evaluation, source)

    def _cells(self, advice: RuleAdvice) -> str:
        """A recommendation's cells as the end of a CSV row, from its assessment in the contract (as plain data)."""
        key = (advice.id, advice.assessment)
        found = self._advice_cells.get(key)
        if found is None:
            a = json.loads(b"{" + advice.assessment + b"}")
            cells = (advice.id, self.titles[advice.id], a["verdict"], "; ".join(a["goals_served"]),
                     "; ".join(f"{f['says']} (you: {_plain(f['actual'])}; needed: {f['required']})"
                               for f in a["failed_conditions"]),
                     "; ".join(a["missing"]), a["counterfactual"]["text"] if a["counterfactual"] else None,
                     " | ".join(a["reasons"]))
            found = self._advice_cells.keep(key, self._rows([[safe_cell(v) for v in cells]]))
        return found


def _plain(value: Any) -> str:
    if value in (None, []):
        return "none"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1):]


class TableFormat:
    """A readable line per profile, for the terminal, written as results come."""

    WIDTHS = (34, 22, 10)

    def header(self) -> str:
        a, b, c = self.WIDTHS
        return (f"{'profile':<{a}} {'name':<{b}} {'as of':<{c}} " + " ".join(f"{s:>3}" for s in SHORT.values())
                + "  recommended\n")

    def __init__(self, rulebase: Rulebase, anonymized: bool = False):
        pass

    def __call__(self, evaluation: Evaluation, profile: Profile, source: str) -> tuple[bytes, Fact]:
        a, b, c = self.WIDTHS
        tally = counts(evaluation)
        ids = ", ".join(recommended(evaluation)) or "-"
        line = (f"{_clip(visible(source), a):<{a}} {_clip(profile.name or '', b):<{b}} "
                f"{evaluation.as_of.isoformat():<{c}} " + " ".join(f"{tally[v]:>3}" for v in SHORT) + f"  {ids}")
        return (line.replace("\n", " ") + "\n").encode(), fact_of(evaluation, source)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def md_text(text: Any) -> str:
    """Text safe inside a Markdown table cell: no markup, no HTML, no line breaks, no terminal codes."""
    return visible(_MD_SPECIAL.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " "))


class MarkdownFormat:
    """A Markdown table row per profile (the report's summary comes first; see writers)."""

    def __init__(self, rulebase: Rulebase, anonymized: bool = False):
        pass

    def header(self) -> str:
        return ("| profile | name | as of | recommended | possible | undecided | not eligible | not offered |\n"
                "|---|---|---|---|---|---|---|---|\n")

    def __call__(self, evaluation: Evaluation, profile: Profile, source: str) -> tuple[bytes, Fact]:
        tally = counts(evaluation)
        ids = ", ".join(f"`{x}`" for x in recommended(evaluation)) or "-"
        cells = [md_text(source), md_text(profile.name or ""), evaluation.as_of.isoformat(),
                 ids, *(str(tally[v]) for v in ("possible", "undecided", "not_eligible", "not_offered"))]
        return ("| " + " | ".join(cells) + " |\n").encode(), fact_of(evaluation, source)


FORMATTERS = {"table": TableFormat, "csv": CsvFormat, "json": JsonFormat, "jsonl": JsonFormat,
              "markdown": MarkdownFormat}
FORMATS = tuple(FORMATTERS)
