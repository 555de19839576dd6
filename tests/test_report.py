"""The report handed to the researcher: content, ladder, personal data, hostile input."""

from __future__ import annotations

import re
import stat

import pytest
import yaml

from advisor.io.profiles import load_profiles
from advisor.render.ladder import build_ladder, short_name

from .conftest import ROOT

LAURA = ROOT / "profiles" / "laura-3-network-coordinator.yaml"
POSTDOC = ROOT / "profiles" / "author-2-postdoc-paris.yaml"
HOSTILE_NAME = '<script>console.error("name")</script><img src=x onerror="console.error(1)"> **Bo|b**'
HOSTILE_NOTE = '</li><script>console.error("note")</script> & [link](javascript:alert(1))'


@pytest.fixture
def hostile_profile(tmp_path):
    data = yaml.safe_load(LAURA.read_text())
    data["name"] = HOSTILE_NAME
    data["discipline"] = "<b>physics</b>"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_markdown_report_content(run_cli):
    code, out, err = run_cli("report", LAURA, "--format", "markdown")
    assert code == 0, err
    for heading in ("# International cooperation: advice for Laura G.", "## The situation",
                    "## The recommended path", "## In short", "## Recommended for you",
                    "## Also open to you", "## Not available, and why"):
        assert heading in out
    assert "- **Career stage:** junior researcher or lecturer (CR, MCF)" in out
    assert "- **Project** (you are here)" in out  # six joint papers over seven years: an established partnership
    assert "- **Network** (next rung)" in out and "★ International Research Group (GDRI" in out
    assert out.index("## In short") < out.index("## The situation") < out.index("## Recommended for you")
    assert "1. **International Research Group (GDRI" in out and "**When: at any time.**" in out  # the first step
    assert "[Official page](http://www.cnrs.fr/en/workingwith/GDRI.htm)" in out  # beside the step it serves
    assert "<http://www.cnrs.fr/en/workingwith/GDRI.htm> (confirmed)" in out  # sources
    assert "International Associated Laboratory (LIA)**: Not met" in out  # what is not available and why
    assert "Eligible with foreign countries in the partnership: 1." in out
    assert "IRP)**: International Research Project (IRP) is offered from 1 January 2021" in out
    assert "\n\n\n" not in out and re.search(r"[^\n]\n#", out) is None  # headings stand apart


def test_html_report_is_self_contained_and_printable(run_cli, tmp_path, sessions):
    run_cli("session", "new", "laura", "--profile", LAURA)
    run_cli("session", "note", "laura", "Prefers to stay in Grenoble")
    run_cli("session", "whatif", "laura", "--set", "collaborations[0].countries=1", "--save", "bilateral")
    output = tmp_path / "report.html"
    code, _, err = run_cli("report", "--session", "laura", "--output", output)
    assert code == 0, err
    page = output.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "@media print" in page
    assert "Prefers to stay in Grenoble" in page
    assert "bilateral" in page and "foreign countries in the partnership (partnership 1): 1" in page
    assert "collaborations[0]" not in page
    assert 'id="session">laura<' in page
    for fetching in ("<script", "<link", "src=", "@import", "url("):
        assert fetching not in page, fetching
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    exports = (sessions / "laura" / "exports.jsonl").read_text()
    assert str(output) in exports and '"format": "html"' in exports
    evaluations = (sessions / "laura" / "evaluations.jsonl").read_text().splitlines()
    assert len(evaluations) == 1 and '"by": "report"' in evaluations[0]
    code, out, _ = run_cli("session", "delete", "laura", "--yes")
    assert code == 0 and str(output) in out  # the adviser is told which reports remain


def test_without_personal_fields(run_cli, sessions):
    run_cli("session", "new", "laura-g", "--profile", LAURA)
    code, out, _ = run_cli("report", "--session", "laura-g", "--without-personal", "--format", "html")
    assert code == 0
    for personal in ("Laura G. (network", "laura-g", "female", ">nationality<", ">gender<"):
        assert personal not in out, personal
    assert "advice for <span id=\"who\">the researcher</span>" in out
    assert "Left out at the researcher's request: gender, name, nationality." in out
    assert ">Year of PhD<" in out  # only what was asked is left out


def test_omitted_field_is_hidden_also_in_the_reasons(run_cli):
    code, shared, _ = run_cli("report", POSTDOC)
    phd_age = re.compile(r"Years from your PhD to the next deadline: \d+")
    assert code == 0 and phd_age.search(shared) and "**Year of PhD:**" in shared
    code, private, _ = run_cli("report", POSTDOC, "--omit", "phd_year")
    assert code == 0
    assert not phd_age.search(private) and "**Year of PhD:**" not in private
    assert "Marie Curie individual fellowships" in private  # the advice itself stays (named as in 2001)


def test_omit_unknown_field_suggests(run_cli):
    code, _, err = run_cli("report", LAURA, "--omit", "nationalty")
    assert code == 1 and "did you mean 'nationality'" in err


def test_report_needs_one_subject(run_cli, sessions):
    assert run_cli("report")[0] == 2
    run_cli("session", "new", "x")
    assert run_cli("report", LAURA, "--session", "x")[0] == 2


def test_hostile_text_is_escaped_in_html(run_cli, hostile_profile, sessions):
    run_cli("session", "new", "hostile", "--profile", hostile_profile)
    run_cli("session", "note", "hostile", HOSTILE_NOTE)
    code, page, _ = run_cli("report", "--session", "hostile", "--format", "html")
    assert code == 0
    assert "<script" not in page and "<img" not in page and "<b>physics" not in page
    assert "&lt;script&gt;console.error(&#34;name&#34;)&lt;/script&gt;" in page
    assert "&lt;/li&gt;&lt;script&gt;" in page and "&amp; [link](javascript:alert(1))" in page
    assert 'href="javascript' not in page


def test_hostile_text_is_escaped_in_markdown(run_cli, hostile_profile, sessions):
    run_cli("session", "new", "hostile", "--profile", hostile_profile)
    run_cli("session", "note", "hostile", HOSTILE_NOTE)
    code, text, _ = run_cli("report", "--session", "hostile")
    assert code == 0
    assert "<script" not in text and "<img" not in text and "<b>" not in text and "</li>" not in text
    assert "&lt;script&gt;" in text and r"\*\*Bo\|b\*\*" in text
    assert r"\[link\](javascript:alert(1))" in text  # not a link any more


def test_ladder_places_the_researcher(advisor):
    laura = load_profiles(LAURA)[0].profile
    result = advisor.evaluate(laura)
    steps = {i: r.spec.path_step for i, r in advisor.rulebase.rules.items()}
    assert result.standing == "established"
    rungs = build_ladder(result, steps, result.standing)
    assert [r.state for r in rungs] == ["passed", "passed", "here", "next", "later", "ahead"]  # one next rung
    assert [a.id for a in rungs[3].recommended] == ["cnrs.gdri"]
    newcomer = laura.model_copy(update={"collaborations": []})
    assert advisor.evaluate(newcomer).standing is None
    assert build_ladder(advisor.evaluate(newcomer), steps, None)[0].state == "here"


def test_short_names():
    assert short_name("International Research Project (IRP)") == "IRP"
    assert short_name("International Research Group (GDRI, groupement de recherche international)") == "GDRI"
    assert short_name("Bottom-up cooperation") == "Bottom-up cooperation"


def test_omitted_field_is_hidden_in_failed_conditions(run_cli):
    code, shared, _ = run_cli("report", POSTDOC, "--as-of", "2024-01-01")
    assert code == 0 and "(yours: 24; needed: at most 8)" in shared
    code, private, _ = run_cli("report", POSTDOC, "--as-of", "2024-01-01", "--omit", "phd_year")
    assert "yours: 24" not in private
    assert "the next deadline's year minus your PhD year is within the limit of the call (at most 8 years of " \
        "research experience after the PhD since 2021; no limit before) (the answer is withheld)" in private
    assert short_name("Partnerships with industry (joint structures, patents, start-ups)") == \
        "Partnerships with industry (joint structures, patents, start-ups)"
    assert short_name("Marie Skłodowska-Curie Postdoctoral Fellowship (MSCA PF)") == "MSCA PF"


def test_a_report_never_replaces_its_profile(run_cli, tmp_path):
    profile = tmp_path / "ada.yaml"
    profile.write_text("name: Ada\ncareer_stage: postdoc\n")
    code, out, err = run_cli("report", profile, "--output", profile)
    assert code == 2 and "is the profile file itself" in err and "fix:" in err
    assert profile.read_text() == "name: Ada\ncareer_stage: postdoc\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada.yaml"]


@pytest.mark.parametrize("where, why, fix", [("folder", "Is a directory", "name a file, not a folder"),
                                             ("missing/report.md", "No such file or directory",
                                              "create its folder first, or write elsewhere")])
def test_a_report_that_cannot_be_written_says_why_and_what_to_do(run_cli, tmp_path, where, why, fix):
    (tmp_path / "folder").mkdir()
    code, out, err = run_cli("report", ROOT / "profiles" / "laura-3-network-coordinator.yaml",
                             "--output", tmp_path / where)
    assert code == 1 and out == ""
    assert f"{tmp_path / where}: cannot be written: {why}" in err and f"fix: {fix} (with --output)" in err
