"""`advisor rules docs`: the catalogue, generated from the rules, in Markdown and escaped HTML."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser

from advisor.render.catalogue import render_catalogue
from advisor.rulebase.loader import default_rules_dir, load_rulebase

from .conftest import ROOT


def test_published_catalogue_is_generated_from_the_rules(rulebase):
    published = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    assert published == render_catalogue(rulebase), "docs/catalogue.md is stale: run advisor rules docs --output docs"


def test_markdown_lists_every_rule_with_dates_successor_conditions_and_sources(rulebase):
    text = render_catalogue(rulebase)
    for rule in rulebase.rules.values():
        assert f"{rule.spec.title} (`{rule.id}`)" in text
    lia = text[text.index("(`cnrs.lia`)"):text.index("(`cnrs.gdri`)")]
    assert "- **Offered**: from 1994-01-01 to 2020-12-31 (no longer offered)" in lia
    assert "- **Successor**: [International Research Project (IRP)](#cnrs-irp) (`cnrs.irp`)" in lia
    assert "The rules check that all of these hold:" in lia
    assert "([how it is decided](#derived-cnrs-coordinator))" in lia
    assert "**Sources**:" in lia and "(confirmed)" in lia
    bottom_up = text[text.index("(`route.bottom_up`)"):]
    assert "Open to everyone: the rules check no condition." in bottom_up
    # a comparison without `says` is put in words from the field's label
    assert "  - years since the PhD is at most 7" in text
    # placeholders have no profile to fill them in a catalogue
    assert "{collaboration.partner_country}" not in text and "\\[partner's country\\]" in text


def _hostile_copy(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    irp = rules / "recommendations" / "cnrs.irp.yaml"
    text = irp.read_text().replace("title: International Research Project (IRP)",
                                   "title: \"<script>alert(1)</script> *bold* [link](http://x)\"")
    text = text.replace("url: https://www.mio.osupytheas.fr/fr/appel_offre/launch-of-irp-and-irn-2026-calls-for-proposals/",
                        "url: javascript:alert(2)")
    irp.write_text(text)
    return load_rulebase(rules)


def test_html_is_self_contained_and_escapes_everything(tmp_path):
    page = render_catalogue(_hostile_copy(tmp_path), "html")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page and "MIO, 2026 IRP/IRN call" in page  # the source stays, its unsafe URL goes
    assert "<link" not in page and "src=" not in page  # no external stylesheet, script or image

    class Counter(HTMLParser):
        sections = 0

        def handle_starttag(self, tag, attrs):
            self.sections += tag == "section"

    counter = Counter()
    counter.feed(page)
    bundled = load_rulebase()
    assert counter.sections == len(bundled.rules) + len(bundled.derived)  # every rule and derived fact


def test_markdown_escapes_rule_text(tmp_path):
    text = render_catalogue(_hostile_copy(tmp_path))
    assert "\\<script\\>alert(1)\\</script\\> \\*bold\\* \\[link\\](http://x)" in text
    assert "javascript:" not in text


def test_cli_output_folder_and_broken_rulebase(run_cli, tmp_path):
    code, out, err = run_cli("rules", "docs", "--format", "html", "--output", tmp_path / "site")
    assert code == 0 and out == "" and "catalogue.html" in err
    assert (tmp_path / "site" / "catalogue.html").read_text().startswith("<!DOCTYPE html>")
    code, out, _ = run_cli("rules", "docs")
    assert code == 0 and out.startswith("# CNRS international cooperation")
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    (rules / "facts.yaml").write_text("derived: [\n")
    code, out, err = run_cli("rules", "docs", rules)
    assert code == 1 and out == "" and "facts.yaml:2" in err and "YAML syntax error" in err
