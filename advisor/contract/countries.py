"""Countries as people type them (a name in English or French, any case, or an ISO code) and as they read them.

The stored value is always the ISO 3166-1 alpha-2 code. Names come from
pycountry: its English names, common and official names, and their French
translations from its bundled gettext catalogues. Accents, case, dots,
hyphens and a leading "the" do not matter: "états-unis", "Etats Unis" and
"the U.S." are all US. A name shared by several countries ("Korea")
or not known is refused with the closest countries as suggestions.
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from functools import cache

import pycountry

# Short names a person reads, where pycountry has no readable one (its name is long or inverted,
# "Congo, The Democratic Republic of the", and it has no `common_name`).
READABLE = {
    "CD": "Democratic Republic of the Congo",
    "FM": "Micronesia",
    "PS": "Palestine",
    "RU": "Russia",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
}

# Names people type that ISO does not give: short forms, former names and parts of a country.
ALIASES = {
    "GB": ["UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland",
           "Grande-Bretagne", "Angleterre", "Écosse", "Pays de Galles", "Irlande du Nord"],
    "US": ["America", "Amérique"],
    "AE": ["UAE", "EAU", "Emirates"],
    "CD": ["DRC", "DR Congo", "RDC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "TR": ["Turkey", "Turquie"],
    "NL": ["Holland", "Hollande"],
    "CI": ["Ivory Coast"],
    "CV": ["Cape Verde", "Cap-Vert"],
    "SZ": ["Swaziland"],
    "MM": ["Burma", "Birmanie"],
    "TL": ["East Timor"],
    "MK": ["Macedonia", "Macédoine"],
    "BN": ["Brunei"],
    "MO": ["Macau"],
    "VA": ["Vatican"],
}

LONGEST = 100  # no country name is longer: longer text is refused before it is compared
SUGGESTIONS = 3
WRITE_A_COUNTRY = "write the country's name in English or French, or its code, e.g. Italy, Allemagne, US"


def country_name(code: str) -> str:
    """The short English name a person reads for an alpha-2 code: "South Korea", not "Korea, Republic of"."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return READABLE.get(country.alpha_2) or getattr(country, "common_name", None) or country.name


def country_code(text: str) -> str:
    """The ISO alpha-2 code of a country typed by name (English or French) or by code (alpha-2 or alpha-3).

    Raises ValueError saying what is wrong and either the likely countries or how to write one, in a line short
    enough for the one line a questionnaire prompt shows.
    """
    if text in _codes():  # the usual case, a code as profiles keep it: every profile read comes this way
        return text
    if len(text) > LONGEST:
        raise ValueError(f"is too long for a country name: {WRITE_A_COUNTRY}")
    key = _key(text)
    code = _coded(key) if text.isascii() else None  # "ÉS" is no code, though it reads as ES without accents
    if code:
        return code
    full, heads = _names()
    codes = full.get(key) or heads.get(key, frozenset())
    if len(codes) == 1:
        return next(iter(codes))
    if codes:
        raise ValueError(f"names several countries: {_did_you_mean(sorted(codes))}")
    likely = _likely(key) if len(key) > 2 else []
    if likely:
        raise ValueError(f"is not a country we know: {_did_you_mean(likely)}")  # the suggestion is the fix
    what = "empty" if not key else "not a country code" if len(key) == 2 else "not a country we know"
    raise ValueError(f"is {what}: {WRITE_A_COUNTRY}")


@cache
def _codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def _coded(key: str) -> str | None:
    """The alpha-2 code for an ISO alpha-2 or alpha-3 code (US, USA), or None."""
    if len(key) not in (2, 3) or not key.isascii() or not key.isalpha():
        return None
    country = pycountry.countries.get(**{"alpha_2" if len(key) == 2 else "alpha_3": key.upper()})
    return country.alpha_2 if country is not None else None


def _key(text: str) -> str:
    """What identifies a name: without accents, case, dots, punctuation or a leading "the"."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace(".", "")
    words = re.sub(r"[\W_]+", " ", plain).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _flipped(name: str) -> tuple[str, str] | None:
    """An inverted name ("Korea, Republic of") in natural order, and its first part: (Republic of Korea, Korea)."""
    head, comma, tail = name.partition(", ")
    return (f"{tail} {head}", head) if comma else None


@cache
def _names() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Keys of full names -> the codes they name, and keys of the first parts of inverted names -> codes.

    A first part counts only where no full name matches, so "Congo" is the Congo and "Korea" names two countries.
    """
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    full: dict[str, set[str]] = {}
    heads: dict[str, set[str]] = {}
    for country in pycountry.countries:
        english = [getattr(country, attr, None) for attr in ("name", "common_name", "official_name")]
        english = [n for n in english if n] + [country_name(country.alpha_2), *ALIASES.get(country.alpha_2, [])]
        for name in english + [french.gettext(n) for n in english]:
            flipped = _flipped(name)
            for table, form in [(full, name)] + ([(full, flipped[0]), (heads, flipped[1])] if flipped else []):
                table.setdefault(_key(form), set()).add(country.alpha_2)
    return tuple({key: frozenset(codes) for key, codes in table.items() if key} for table in (full, heads))


def _likely(key: str) -> list[str]:
    """The codes of the countries `key` most likely means: names with words it begins, then close spellings."""
    full, heads = _names()
    names = {**heads, **full}
    words = key.split()
    begun = sorted((k for k in names if len(key) >= 3 and all(any(w.startswith(t) for w in k.split()) for t in words)),
                   key=len)
    close = difflib.get_close_matches(key, names, n=SUGGESTIONS * 2, cutoff=0.75)
    codes = [code for k in [*begun, *close] for code in sorted(names[k])]
    return list(dict.fromkeys(codes))[:SUGGESTIONS]


def _did_you_mean(codes: list[str]) -> str:
    shown = [f"{country_name(code)} ({code})" for code in codes]
    return "did you mean " + (", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else shown[0]) + "?"
