"""The command line's contract: formats, streams and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.advice.advisor import Advisor
from advisor.cli.main import main
from advisor.contract.result import Result
from advisor.io.environment import Environment
from advisor.toolkit.schemas import schema
from advisor.toolkit.synthetic import synthetic_profiles

from .conftest import ROOT

EXAMPLE = ROOT / "profiles" / "laura-3-network-coordinator.yaml"


def test_text_report_has_reasons_sources_and_next_steps(run_cli):
    code, out, err = run_cli("evaluate", EXAMPLE)
    assert code == 0
    assert "Advice for Laura G." in out
    for heading in ("In short", "What to do next", "Why:", "Recommended for you", "Not eligible now"):
        assert heading in out
    assert "Sources" not in out and "--details" in out  # the short answer, then one line each
    code, details, _ = run_cli("evaluate", EXAMPLE, "--details")
    assert code == 0 and details.startswith(out.split("\nRecommended for you")[0])  # the same short answer first
    for heading in ("Why", "Next steps", "Official page: http", "Sources", "Not met:"):
        assert heading in details


def test_json_follows_the_result_contract(run_cli):
    code, out, err = run_cli("evaluate", EXAMPLE, "--format", "json")
    assert code == 0
    result = Result.model_validate_json(out)  # stdout holds nothing but the JSON
    assert result.as_of.isoformat() == "2005-06-01"
    assert len(result.results) == len({a.id for a in result.results})


def test_json_for_several_profiles_is_a_list(run_cli):
    code, out, _ = run_cli("evaluate", EXAMPLE, ROOT / "profiles" / "author-2-postdoc-paris.yaml", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [d["profile"]["name"] for d in data] == ["Laura G. (network coordinator, 2005)",
                                                     "The author (postdoc in Paris, 2001)"]


def test_as_of_overrides_the_profile_date(run_cli):
    code, out, _ = run_cli("evaluate", EXAMPLE, "--as-of", "2023-01-10", "--format", "json")
    verdicts = {a["id"]: a["verdict"] for a in json.loads(out)["results"]}
    assert code == 0
    assert verdicts["cnrs.gdri"] == "not_offered"


def test_later_date_than_verification_warns(run_cli):
    code, out, _ = run_cli("evaluate", EXAMPLE, "--as-of", "2031-01-01", "--format", "json")
    assert code == 0
    assert "last verified" in json.loads(out)["warnings"][0]


def test_usage_errors_exit_2(run_cli):
    assert run_cli()[0] == 2
    assert run_cli("evaluate")[0] == 2
    code, _, err = run_cli("evaluate", EXAMPLE, "--as-of", "yesterday")
    assert code == 2 and "YYYY-MM-DD" in err
    assert run_cli("evaluate", EXAMPLE, "--format", "xml")[0] == 2


def test_python_engine_gives_the_same_json(run_cli):
    _, durable, _ = run_cli("evaluate", EXAMPLE, "--format", "json")
    _, python, _ = run_cli("evaluate", EXAMPLE, "--format", "json", "--engine", "python")
    a, b = json.loads(durable), json.loads(python)
    assert a.pop("engine") == "durable" and b.pop("engine") == "python"
    assert a.pop("trace") and b.pop("trace")  # each engine's own firings (see docs/engine.md)
    assert a == b


def test_published_schemas_match_the_code():
    for which in ("result", "profile", "rules"):
        published = json.loads((ROOT / "docs" / f"{which}.schema.json").read_text())
        assert published == schema(which), f"docs/{which}.schema.json is stale: run advisor schema {which}"


def test_schema_command_prints_json(run_cli):
    code, out, _ = run_cli("schema", "profile")
    assert code == 0 and json.loads(out)["title"] == "Profile"


def test_unusable_rulebase_exits_1(run_cli, tmp_path):
    code, out, err = run_cli("evaluate", EXAMPLE, "--rules", tmp_path)
    assert code == 1 and out == "" and "rulebase.yaml" in err


def test_ci_runs_the_readme_commands():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in readme.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    for command in commands:
        assert command in ci


def test_without_durable_rules_the_python_evaluation_is_used_and_said_once(run_cli, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "durable_rules_engine", None)  # makes `import durable_rules_engine` fail
    code, out, err = run_cli("evaluate", EXAMPLE, ROOT / "profiles" / "author-2-postdoc-paris.yaml",
                             "--format", "json")
    assert code == 0
    assert [r["engine"] for r in json.loads(out)] == ["python", "python"]
    assert err.count("durable_rules is not available") == 1


def test_a_profile_piped_in_as_dash(tmp_path):
    def evaluate(data: bytes) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "advisor", "evaluate", "-", "--format", "json"], input=data,
                              capture_output=True, timeout=60)

    laura = (ROOT / "profiles" / "laura-3-network-coordinator.yaml").read_bytes()
    done = evaluate(laura)
    assert done.returncode == 0, done.stderr
    result = Result.model_validate_json(done.stdout)
    assert result.profile.source == "<stdin>" and result.profile.name.startswith("Laura G.")
    done = evaluate(b"name: X\ncarrer: postdoc\n")
    assert done.returncode == 1 and b"error: <stdin>:2:1: unknown field 'carrer'" in done.stderr
    done = evaluate(b"x" * (6 * 1024 * 1024))  # read up to the limit, not to the end
    assert done.returncode == 1 and b"<stdin>: is more than 5,242,880 bytes" in done.stderr


def test_details_in_a_terminal_go_through_a_pager_with_links(run_cli, in_a_terminal, monkeypatch):
    paged = []
    monkeypatch.setattr("pydoc.pager", paged.append)  # rich's system pager hands the page to pydoc
    code, out, _ = run_cli("evaluate", EXAMPLE, "--details")
    assert code == 0 and out == "" and len(paged) == 1
    assert "Sources" in paged[0] and "\x1b]8;" in paged[0]  # official pages as terminal hyperlinks
    code, out, _ = run_cli("evaluate", EXAMPLE)  # the short answer is not paged
    assert code == 0 and "In short" in out and "\x1b]8;" in out and len(paged) == 1


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_evaluate_writes_each_result_as_it_is_made(tmp_path, monkeypatch, fmt):
    """A file may hold thousands of profiles: their results were all kept until the last (1.4 GB for 5,000)."""
    many = tmp_path / "many.json"
    many.write_text(json.dumps(list(synthetic_profiles(4, seed=3))))
    env = Environment.in_memory()
    written = []  # what standard output held as each profile's evaluation began
    evaluate = Advisor.evaluate

    def noting(self, *args, **kwargs):
        written.append(len(env.stdout.buffer.getvalue()))
        return evaluate(self, *args, **kwargs)

    monkeypatch.setattr(Advisor, "evaluate", noting)
    assert main(["evaluate", str(many), "--format", fmt, "--as-of", "2026-01-01"], env) == 0
    out = env.written()[0]
    assert written[0] == 0 and 0 < written[2] < written[3] < len(out)  # JSON holds the first until the second
    if fmt == "json":
        assert [r["profile"]["source"].rsplit("/")[-1] for r in json.loads(out)] == [f"many.json#{i}" for i in range(4)]


def _runs(*args: str, stdout) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "advisor", *args], cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE,
                            text=True)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs the full device")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_full_standard_output_is_a_clean_error(fmt):
    with open("/dev/full", "w") as full:
        running = _runs("evaluate", str(EXAMPLE), "--format", fmt, stdout=full)
        _, err = running.communicate(timeout=60)
    assert running.returncode == 1 and err == ("error: standard output: cannot be written: No space left on device\n"
                   "  fix: free space there, or write elsewhere\n")


@pytest.mark.parametrize("command", [
    ["evaluate", str(EXAMPLE)],
    ["evaluate", str(EXAMPLE), str(EXAMPLE), "--format", "json"],
    ["batch", "profiles", "--format", "jsonl", "--jobs", "1"],
    ["batch", "profiles", "--jobs", "2"],
    ["compare", str(EXAMPLE), "IRN", "IRP"],
    ["report", str(EXAMPLE)],
    ["schema", "profile"],
])
def test_a_closed_pipe_ends_quietly_with_the_sigpipe_status(command):
    """`advisor ... | head -1`: the reader has gone; what is left to write is dropped without a word."""
    running = _runs(*command, stdout=subprocess.PIPE)
    running.stdout.close()  # before the first line: every write to standard output fails
    _, err = running.communicate(timeout=120)
    assert (running.returncode, err) == (141, "")
