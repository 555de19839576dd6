"""What people read is in plain words: the short answer first, no internal value, field path or ISO date.

Every example career is read through every front end a person reads (the terminal, with and without
--details, and the Markdown and HTML reports); the short answer of each is kept as a snapshot.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pycountry
import pytest

from advisor.contract.fields import VALUE_LABELS
from advisor.contract.profile import Profile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "profiles").glob("*.yaml"))
SNAPSHOTS = Path(__file__).parent / "snapshots" / "short"
UPDATE = os.environ.get("ADVISOR_UPDATE_SNAPSHOTS") == "1"


def internal_values(rulebase) -> set[str]:
    """The values a person must never read: snake_case enum values, field names and recommendation ids."""
    values = {v for table in VALUE_LABELS.values() for v in table if "_" in v}
    values |= {v for fact in rulebase.derived.values() for v in fact.spec.values if "_" in v}
    values |= {name for name in Profile.model_fields if "_" in name}
    values |= {"not_eligible", "not_offered", "partner_country", "partner_type", "joint_publications",
               "years_active"}
    return values | set(rulebase.rules)


def leaks(text: str, rulebase) -> list[str]:
    found = [v for v in internal_values(rulebase) if re.search(rf"(?<![\w./-]){re.escape(v)}(?![\w-])", text)]
    found += re.findall(r"collaborations?\[\d+\]|collaboration\.\w+|\b\d{4}-\d{2}-\d{2}\b", text)
    found += re.findall(r"\(#\d+\)", text)  # partners numbered from 0
    found += [code for code in re.findall(r"\b(?:in|with) ([A-Z]{2})\b|\(([A-Z]{2})\)", text)
              for code in code if code and pycountry.countries.get(alpha_2=code)]  # countries by code
    return found


class _Text(HTMLParser):
    """The text a browser shows (no tags, attributes, styles)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def shown_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.stem)
def test_no_internal_value_reaches_a_reader(profile, run_cli, rulebase, sessions):
    outputs = {}
    for name, args in (("text", ("evaluate", profile)), ("details", ("evaluate", profile, "--details")),
                       ("markdown", ("report", profile)), ("html", ("report", profile, "--format", "html"))):
        code, out, err = run_cli(*args)
        assert code == 0, err
        outputs[name] = shown_text(out) if name == "html" else out
    for name, text in outputs.items():
        assert leaks(text, rulebase) == [], f"{name} of {profile.name}"


def test_the_scan_finds_what_it_looks_for(rulebase):
    """The scan itself: each kind of internal value is caught, plain words are not."""
    for text in ("yours: junior_researcher", "see cnrs.irp", "Changes: collaborations[0].countries=1",
                 "offered from 2021-01-01", "partner in IT", "IT (#0)", "needed: partner_identified"):
        assert leaks(text, rulebase), text
    assert leaks("Your partner in Italy (partnership 1) has joint results; the IRP (from 1 January 2021).",
                 rulebase) == []


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.stem)
def test_the_short_answer_comes_first_and_fits_a_screen(profile, run_cli):
    code, out, err = run_cli("evaluate", profile)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) <= 120  # the test console is 80 columns wide; an address is never cut
    assert all(len(line) <= 100 for line in lines if not line.strip().startswith("Page: http"))
    short = out.split("\nRecommended for you (")[0].split("\nAlso open to you (")[0]
    assert "In short" in short and "You stand on the rung" in short
    snapshot = SNAPSHOTS / f"{profile.stem}.txt"
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(short)
    assert short == snapshot.read_text(), f"run with ADVISOR_UPDATE_SNAPSHOTS=1 to accept the new {snapshot.name}"


def test_what_to_do_next_has_a_step_a_reason_a_date_and_a_page(run_cli):
    code, out, _ = run_cli("evaluate", ROOT / "profiles" / "laura-5-extension-to-us.yaml")
    first = out.split("What to do next")[1].split("\n  2. ")[0]
    assert "International Research Project (IRP)" in first and "Why: Your collaboration with Italy" in first
    assert "Next call: IRP 2022" in first and "Page: https://" in first
    second = out.split("\n  2. ")[1].split("\n  3. ")[0]
    assert "International Emerging Action (IEA)" in second and "in the United States" in second


def test_the_report_explains_the_acronyms_it_uses(run_cli, rulebase):
    code, out, _ = run_cli("report", ROOT / "profiles" / "laura-5-extension-to-us.yaml")
    assert code == 0
    words = out.split("## Words used")[1]
    before = out.split("## Words used")[0]
    listed = set(re.findall(r"^- \*\*(.+?)\*\*:", words, re.M))
    assert {"NOA", "DEI", "UMR"} <= listed  # the IRP's calendar and who applies use them
    assert listed <= set(rulebase.info.glossary)
    assert all(re.search(rf"\b{re.escape(term)}\b", before) for term in listed)  # only what the report uses
    assert "GDRE" not in listed  # a name of the 1990s, not in advice for 2022
