"""Countries typed by people (names in English or French, codes) and shown to them (short English names)."""

from __future__ import annotations

import gettext

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.contract.countries import country_code, country_name

COUNTRIES = list(pycountry.countries)
FRENCH = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])


@given(st.sampled_from(COUNTRIES), st.sampled_from([str, str.lower, str.title]))
def test_every_code_is_its_own_country_in_any_case(country, case):
    assert country_code(case(country.alpha_2)) == country.alpha_2
    assert country_code(case(country.alpha_3)) == country.alpha_2


@given(st.sampled_from(COUNTRIES), st.sampled_from(["name", "common_name", "official_name"]),
       st.sampled_from([str, str.lower, str.upper]))
def test_every_english_name_names_its_country(country, attribute, case):
    name = getattr(country, attribute, None) or country.name
    assert country_code(case(name)) == country.alpha_2


@given(st.sampled_from(COUNTRIES))
def test_the_name_shown_reads_back_as_the_same_country(country):
    assert country_code(country_name(country.alpha_2)) == country.alpha_2


@given(st.sampled_from(COUNTRIES))
def test_every_french_name_names_its_country(country):
    assert country_code(FRENCH.gettext(country.name)) == country.alpha_2


@given(st.text(max_size=120))
def test_any_text_is_a_country_or_a_clear_refusal(text):
    try:
        code = country_code(text)
    except ValueError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert country_name(code)


@pytest.mark.parametrize("typed, code", [
    ("Italy", "IT"), ("italie", "IT"), ("ITALIE", "IT"), ("it", "IT"), (" Allemagne ", "DE"), ("DEU", "DE"),
    ("côte d'ivoire", "CI"), ("Cote d’Ivoire", "CI"), ("Ivory Coast", "CI"),
    ("Etats-Unis", "US"), ("états-unis", "US"), ("États-Unis d'Amérique", "US"), ("USA", "US"), ("U.S.", "US"),
    ("the US", "US"), ("United States of America", "US"),
    ("UK", "GB"), ("Royaume-Uni", "GB"), ("England", "GB"), ("Great Britain", "GB"),
    ("Russia", "RU"), ("Russie", "RU"), ("Russian Federation", "RU"),
    ("South Korea", "KR"), ("Corée du Sud", "KR"), ("Republic of Korea", "KR"), ("North Korea", "KP"),
    ("Türkiye", "TR"), ("turkiye", "TR"), ("Turkey", "TR"), ("Turquie", "TR"),
    ("Czech Republic", "CZ"), ("République tchèque", "CZ"), ("Tchéquie", "CZ"),
    ("The Netherlands", "NL"), ("Pays-Bas", "NL"), ("Holland", "NL"),
    ("Iran", "IR"), ("Taïwan", "TW"), ("Vietnam", "VN"), ("Viet Nam", "VN"), ("Congo", "CG"), ("DR Congo", "CD"),
])
def test_names_people_type(typed, code):
    assert country_code(typed) == code


@pytest.mark.parametrize("code, name", [
    ("US", "United States"), ("RU", "Russia"), ("KR", "South Korea"), ("IR", "Iran"), ("CZ", "Czechia"),
    ("TW", "Taiwan"), ("GB", "United Kingdom"), ("VN", "Vietnam"), ("CD", "Democratic Republic of the Congo"),
    ("it", "Italy"),
])
def test_short_names_a_person_reads(code, name):
    assert country_name(code) == name


def test_no_name_shown_is_inverted():
    inverted = [c.alpha_2 for c in COUNTRIES if ", " in country_name(c.alpha_2)]
    assert inverted == ["BQ", "SH"], inverted  # both list places: "Bonaire, Sint Eustatius and Saba"


@pytest.mark.parametrize("typed, words", [
    ("Itlay", ["is not a country we know: did you mean Italy (IT)?"]),
    ("Germny", ["did you mean Germany (DE)?"]),
    ("Frnace", ["did you mean France (FR)?"]),
    ("GER", ["did you mean Germany (DE)"]),
    ("Korea", ["names several countries", "did you mean North Korea (KP) or South Korea (KR)?"]),
    ("Corée", ["did you mean North Korea (KP) or South Korea (KR)?"]),
    ("Virgin Islands", ["did you mean British Virgin Islands (VG) or US Virgin Islands (VI)?"]),
    ("United", ["United States (US), United Kingdom (GB) or United Arab Emirates (AE)?"]),
    ("XX", ["is not a country code: write the country's name in English or French, or its code, e.g. Italy"]),
    ("ÉS", ["not a country code"]),  # ES without its accent, but no code has one
    ("Atlantis", ["is not a country we know: write the country's name"]),
    ("", ["is empty"]),
    ("x" * 101, ["too long"]),
])
def test_unknown_and_shared_names_get_suggestions(typed, words):
    with pytest.raises(ValueError) as caught:
        country_code(typed)
    for word in words:
        assert word in str(caught.value), str(caught.value)


def test_an_unknown_code_has_no_name():
    with pytest.raises(ValueError, match="not an ISO 3166-1 alpha-2 country code"):
        country_name("XX")
