"""The words a person reads for the values of a profile or a result: answers, fields, partners, dates, changes.

Every text meant for a person (terminal, Markdown, HTML, CSV reasons) goes through one `Words`, so no enum
value, field path or country code reaches a reader.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from advisor.contract.countries import country_name
from advisor.contract.fields import COLLAB, COUNTRY_FIELDS, LABELS, VALUE_LABELS

# How sure each source is, for readers.
SOURCE_STATUS = {"confirmed": "confirmed", "confirmed_secondary": "confirmed (secondary source)",
                 "unconfirmed": "unconfirmed", "talk": "F. Grassia's talk"}
# Country names read with "the" inside a sentence ("in the United States").
WITH_ARTICLE = re.compile(r"^(United |Netherlands$|Philippines$|Bahamas$|Gambia$|Maldives$|Comoros$|Seychelles$|"
                          r"Czech Republic$|Dominican Republic$|Central African Republic$|Marshall Islands$|"
                          r"Solomon Islands$|Vatican)")
PARTNERSHIP_PATH = re.compile(r"^collaborations\[(\d+)\]\.(\w+)$")


def day(value: dt.date) -> str:
    """A date as people write it: 15 October 2024."""
    return f"{value.day} {value:%B %Y}"


def moment(value: dt.datetime | str) -> str:
    """A timestamp as people write it: 4 December 2026, 14:05 (a text that is not one stays as it is)."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{day(value)}, {value:%H:%M}"


class Words:
    """Labels for the fields and values of one rulebase (its derived facts add their own)."""

    def __init__(self, labels: dict[str, str] | None = None, values: dict[str, dict[str, str]] | None = None):
        self.labels = {**LABELS, **(labels or {})}
        self.values = {**VALUE_LABELS, **(values or {})}

    def field(self, name: str) -> str:
        """A field, a derived fact or a partnership's field (`collaborations[0].stage`) in words."""
        match = PARTNERSHIP_PATH.match(name)
        if match:
            return f"{self.field(COLLAB + match.group(2))} (partnership {int(match.group(1)) + 1})"
        if name in self.labels:
            return self.labels[name]
        return self.labels.get(COLLAB + name) or name.removeprefix(COLLAB).replace("_", " ")

    def value(self, name: str, value: Any, sentence: bool = False) -> str:
        """An answer (or a derived value) of a field; `sentence`: inside a sentence ("the United States")."""
        name = _field_of(name)
        if value is None or value == []:
            return "none"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, (list, tuple)):
            return ", ".join(self.value(name, v) for v in value)
        if isinstance(value, dt.datetime):
            return moment(value)
        if isinstance(value, dt.date):
            return day(value)
        if name in COUNTRY_FIELDS and isinstance(value, str):
            return in_sentence(named(value)) if sentence else named(value)
        return self.values.get(name, {}).get(value, str(value)) if isinstance(value, str) else str(value)

    def choices(self, name: str, values: Any) -> str:
        """Several allowed values: 'a university or a research organisation'."""
        words = [self.value(name, v) for v in (values if isinstance(values, (list, tuple)) else [values])]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]

    def partner(self, index: int, country: str | None, numbered: bool = False) -> str:
        """One partnership as the researcher knows it: 'your partner in Italy' (numbered from 1 when asked)."""
        where = f"your partner in {in_sentence(named(country))}" if country else "your partner"
        return f"{where} (partnership {index + 1})" if numbered else where

    def change(self, name: str, value: Any) -> str:
        """One change of answers: 'partner type: a funding agency', 'from 1 January 2027'."""
        if name == "as_of":
            return "from " + self.value(name, dt.date.fromisoformat(value) if isinstance(value, str) else value)
        return f"{self.field(name)}: {self.value(name, value)}"


def named(code: str) -> str:
    """A country's name from its code; a value that is not a known code (an old record) stays as it is."""
    try:
        return country_name(code)
    except ValueError:
        return code


def in_sentence(name: str) -> str:
    """A country's name as a sentence reads it: 'the United States', 'Italy'."""
    return f"the {name}" if WITH_ARTICLE.match(name) else name


def _field_of(name: str) -> str:
    match = PARTNERSHIP_PATH.match(name)
    return COLLAB + match.group(2) if match else name
