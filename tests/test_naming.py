"""Recommendations named as people type them: ids, titles, acronyms and earlier names, in any case."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.errors import UsageError
from advisor.rulebase.catalogue import catalogue_of
from advisor.rulebase.loader import default_rules_dir, load_rulebase
from advisor.rulebase.naming import Names

from .conftest import ROOT, CommandLine

RULES = catalogue_of(load_rulebase(default_rules_dir())).rules
NAMES = Names(RULES)


def own_acronym(title: str) -> str | None:
    """The acronym a title gives in parentheses, read here independently of the resolver: `(IRP)`, `(MSCA DN)`,
    `(GDRI, groupement ...)`."""
    found = re.search(r"\(([A-Z][A-Z0-9 ]+)[,)]", title)
    return found.group(1) if found else None


NAMED = [(rule.id, name) for rule in RULES.values()
         for name in (rule.id, rule.title, rule.id.split(".")[-1], own_acronym(rule.title)) if name]


def test_most_rules_have_an_acronym():
    """The property below checks acronyms only if the titles give them."""
    assert sum(1 for rule in RULES.values() if own_acronym(rule.title)) >= 12


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NAMED), st.lists(st.booleans(), min_size=120, max_size=120))
def test_every_id_title_and_acronym_names_its_rule_in_any_case(named, upper):
    rule_id, name = named
    typed = "".join(c.upper() if up else c.lower() for c, up in zip(name, upper + [False] * len(name)))
    assert NAMES.resolve([typed]) == [rule_id]


@pytest.mark.parametrize("typed, rule_id", [
    ("IRN", "cnrs.irn"), ("irn", "cnrs.irn"), ("cnrs.irn", "cnrs.irn"), ("ERC Starting Grant", "eu.erc_stg"),
    ("erc-stg", "eu.erc_stg"), ("msca_dn", "eu.msca_dn"), ("  MSCA-DN ", "eu.msca_dn"),
    ("GDRI", "cnrs.gdri"), ("LIA", "cnrs.lia"),
    # earlier names, from the eras: the European forms before 2002, Horizon 2020's and FP7's names
    ("GDRE", "cnrs.gdri"), ("lea", "cnrs.lia"), ("ITN", "eu.msca_dn"), ("RISE", "eu.msca_se"),
    ("irses", "eu.msca_se"), ("Thomas Jefferson Fund", "fr.jefferson_fund"), ("Erasmus mobility", "eu.erasmus"),
    ("capes-cofecub", "fr.capes_cofecub"), ("UMIFRE", "fr.umifre"), ("international research project", "cnrs.irp"),
    ("International Research Group", "cnrs.gdri"), ("top-down cooperation", "route.top_down"),
    ("Marie Sklodowska-Curie Postdoctoral Fellowship (MSCA PF)", "eu.msca_pf"),  # without the accent
])
def test_names_people_type(typed, rule_id):
    assert NAMES.resolve([typed]) == [rule_id]


def test_names_keep_their_order_and_repeats_count_once():
    assert NAMES.resolve(["IRP", "irn", "cnrs.irp"]) == ["cnrs.irp", "cnrs.irn"]


@pytest.mark.parametrize("typed, candidates", [
    ("MSCA", ["eu.msca_dn", "eu.msca_pf", "eu.msca_se"]),
    ("erc", ["eu.erc_adg", "eu.erc_cog", "eu.erc_poc", "eu.erc_stg", "eu.erc_syg"]),
])
def test_an_ambiguous_name_lists_the_candidates_with_their_titles(typed, candidates):
    with pytest.raises(UsageError) as error:
        NAMES.resolve([typed])
    message = str(error.value)
    assert f"'{typed}' names {len(candidates)} recommendations" in message
    for rule_id in candidates:
        assert f"{rule_id}  {RULES[rule_id].title}" in message


@pytest.mark.parametrize("typed, says", [
    ("IRPP", "did you mean IRP (International Research Project (IRP))?"),
    ("cnrs.irpp", "did you mean cnrs.irp (International Research Project (IRP)) or"),  # the closest first
    ("Starting Grant", "did you mean ERC Starting Grant?"),
    ("xyzzy", "'xyzzy' names no recommendation\n"),
])
def test_an_unknown_name_gets_the_near_misses_and_the_fix(typed, says):
    with pytest.raises(UsageError) as error:
        NAMES.resolve([typed])
    assert says in str(error.value)
    assert "fix: name each recommendation by its id, its title or an acronym of its title" in str(error.value)


def test_every_unknown_name_is_reported_at_once():
    with pytest.raises(UsageError) as error:
        NAMES.resolve(["IRN", "IRPP", "MSCA", "zzz"])
    assert [line.split("'")[1] for line in str(error.value).splitlines() if line.startswith("'")] == \
        ["IRPP", "MSCA", "zzz"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_a_name_or_a_usage_error(typed):
    try:
        found = NAMES.resolve([typed])
    except UsageError as error:
        assert "\x1b" not in str(error) and "names" in str(error)  # shown, never acted on by a terminal
    else:
        assert len(found) == 1 and found[0] in RULES


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=20).filter(lambda t: not t.startswith("-")), min_size=2, max_size=3))
def test_compare_with_any_names_is_advice_or_a_usage_error(names):
    code, _, err = CommandLine()("compare", ROOT / "profiles" / "laura-3-network-coordinator.yaml", *names)
    assert (code, err.startswith("error: ")) in ((0, False), (2, True)), err
    assert "Traceback" not in err
