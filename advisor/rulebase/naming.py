"""Recommendations named the way people type them: an id (`cnrs.irn`), its last part (`irn`, `erc_stg`), a title
with or without its parentheses (`ERC Starting Grant`, `International Research Project`), an acronym in a title
(`IRN`, `MSCA DN`), or an earlier name from its eras (`GDRE`, `Thomas Jefferson Fund`), in any case, with `_`,
`-` and spaces alike.

Names are looked for in three tiers: ids first, then current names, then earlier ones; the first tier that
knows a name decides, so an earlier name never hides a current one. A name several recommendations share
(`MSCA`, `ERC`) is ambiguous and its candidates are listed; an unknown one gets the nearest names.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping

from advisor.contract.catalogue import RuleText
from advisor.errors import UsageError, visible

# A word of capitals (digits and inner hyphens allowed) with at least two capitals: IRN, FP7, CAPES-COFECUB.
_ACRONYM_WORD = re.compile(r"(?<![\w-])(?=(?:[A-Z0-9-]*[A-Z]){2})[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?![\w-])")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_SEPARATORS = re.compile(r"[\s_-]+")
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i"})  # no accent to drop


def key(name: str) -> str:
    """A name as it is compared: case, accents (Skłodowska, Sklodowska), and the separators `_`, `-` and spaces
    do not count."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_UNDECOMPOSED))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", plain).strip()


def acronyms(title: str) -> list[str]:
    """The acronyms a title gives: its words in capitals (`ERC`, `MSCA`), and each part of a parenthesis or of
    a leading `NAME,` made of such words only (`MSCA DN`, `FP7 IEF`)."""
    found = _ACRONYM_WORD.findall(title)
    parts = [p for inner in _PARENTHESES.findall(title) for p in inner.split(",")] + title.split(",")[:1]
    found += [p.strip() for p in parts if p.strip() and all(_ACRONYM_WORD.fullmatch(w) for w in p.split())]
    return list(dict.fromkeys(found))


def title_names(title: str) -> list[str]:
    """The names a title gives: itself, itself without its parentheses (`International Research Project`), and
    its acronyms."""
    return [title, " ".join(_PARENTHESES.sub(" ", title).split()), *acronyms(title)]


def names_of(rule: RuleText) -> tuple[list[str], list[str]]:
    """A rule's current names (from its title, and its id's last part) and its earlier names (its eras' titles)."""
    current = [*title_names(rule.title), rule.id.rsplit(".", 1)[-1]]
    earlier = [name for era in rule.eras for name in title_names(era.title)]
    return current, earlier


class Names:
    """Every name of the recommendations of one catalogue (`Catalogue.rules`), to resolve what people type."""

    def __init__(self, rules: Mapping[str, RuleText]):
        self.titles = {rule_id: rule.title for rule_id, rule in rules.items()}
        self.shown: dict[str, str] = {}  # a key -> the name as written, for suggestions
        self.tiers: list[dict[str, set[str]]] = [defaultdict(set) for _ in range(3)]
        for rule_id, rule in rules.items():
            current, earlier = names_of(rule)
            for tier, names in enumerate(([rule_id], current, earlier)):
                for name in names:
                    self.tiers[tier][key(name)].add(rule_id)
                    self.shown.setdefault(key(name), name)

    def candidates(self, typed: str) -> list[str]:
        """The ids a name may mean, in the catalogue's order: one, several (ambiguous), or none."""
        wanted = key(typed)
        found = next((tier[wanted] for tier in self.tiers if wanted in tier), set())
        return [rule_id for rule_id in self.titles if rule_id in found]

    def resolve(self, typed: Iterable[str]) -> list[str]:
        """The id of each name, in order and without repeats; a UsageError says what is wrong with every name
        that names no recommendation or several, with the candidates or the nearest names."""
        ids, problems = [], []
        for name in typed:
            found = self.candidates(name)
            if len(found) == 1:
                ids.append(found[0])
            else:
                problems.append(self._ambiguous(name, found) if found else self._unknown(name))
        if problems:
            raise UsageError("\n".join(problems) + "\n  fix: name each recommendation by its id, its title or an "
                             "acronym of its title, in any case (`advisor rules docs` lists them)")
        return list(dict.fromkeys(ids))

    def _ambiguous(self, name: str, found: list[str]) -> str:
        width = max(map(len, found))
        return (f"'{visible(name)}' names {len(found)} recommendations; write one of them:\n"
                + "\n".join(f"    {rule_id:<{width}}  {self.titles[rule_id]}" for rule_id in found))

    def _unknown(self, name: str) -> str:
        near = difflib.get_close_matches(key(name), self.shown, n=3, cutoff=0.6)
        said = f"'{visible(name)}' names no recommendation"
        if not near:
            return said
        return said + "; did you mean " + " or ".join(self._described(k) for k in near) + "?"

    def _described(self, name_key: str) -> str:
        shown, found = self.shown[name_key], self.candidates(name_key)
        titles = [self.titles[rule_id] for rule_id in found]
        return shown if titles == [shown] else f"{shown} ({'; '.join(titles)})"
