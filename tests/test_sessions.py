"""Adviser sessions: life cycle, history, notes, evaluations, personal-data care and damaged files."""

from __future__ import annotations

import json
import os
import stat

import pytest
import yaml

from advisor.errors import InputError
from advisor.rulebase.loader import load_rulebase
from advisor.sessions.store import SessionStore, changes_between, default_sessions_dir

from .conftest import ROOT

LAURA = ROOT / "profiles" / "laura-3-network-coordinator.yaml"


@pytest.fixture
def sessions(tmp_path, monkeypatch):
    """A private sessions folder, used through ADVISOR_SESSIONS like a user would."""
    root = tmp_path / "sessions"
    monkeypatch.setenv("ADVISOR_SESSIONS", str(root))
    return root


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_sessions_folder_lookup():
    assert default_sessions_dir({"ADVISOR_SESSIONS": "/x/s", "XDG_DATA_HOME": "/y"}).as_posix() == "/x/s"
    assert default_sessions_dir({"XDG_DATA_HOME": "/y"}).as_posix() == "/y/advisor/sessions"
    assert default_sessions_dir({}).as_posix().endswith(".local/share/advisor/sessions")


def test_whole_life_cycle(run_cli, sessions, monkeypatch):
    code, out, err = run_cli("session", "new", "laura", "--profile", LAURA)
    assert code == 0, err
    assert "Session laura created" in out
    assert run_cli("session", "note", "laura", "Wants", "to stay in France")[0] == 0
    code, out, _ = run_cli("session", "set", "laura", "--set", "permanent_position=false", "--unset", "gender")
    assert code == 0
    assert "permanent_position: true → false" in out and "gender: female → unknown" in out
    code, out, _ = run_cli("session", "evaluate", "laura", "--format", "json")
    assert code == 0 and json.loads(out)["profile"]["source"] == "session laura"

    code, out, _ = run_cli("session", "list")
    assert code == 0 and "laura" in out and "Laura G." in out
    code, out, _ = run_cli("session", "show", "laura")
    assert code == 0
    for expected in ("Wants to stay in France", "permanent_position: false", "Evaluations (1)", "#2"):
        assert expected in out

    folder = sessions / "laura"
    evaluations = [json.loads(line) for line in (folder / "evaluations.jsonl").read_text().splitlines()]
    assert evaluations[0]["as_of"] == "2005-06-01" and evaluations[0]["revision"] == 2
    assert evaluations[0]["rulebase"]["version"] and len(evaluations[0]["verdicts"]) == len(load_rulebase().rules)
    assert yaml.safe_load((folder / "profile.yaml").read_text())["permanent_position"] is False

    code, _, err = run_cli("session", "delete", "laura", stdin="no\n")
    assert code == 2 and "Not deleted" in err and folder.is_dir()
    code, out, _ = run_cli("session", "delete", "laura", stdin="laura\n")
    assert code == 0 and "deleted" in out
    # every trace gone: no index, no temporary file; only the empty lock that `new` takes on the folder
    assert [p.name for p in sessions.iterdir()] == [".lock"] and (sessions / ".lock").stat().st_size == 0
    assert run_cli("session", "show", "laura")[0] == 1


def test_files_are_private_and_plain(sessions):
    store = SessionStore(sessions)
    session = store.create("private")
    session.add_note("personal remark")
    assert _mode(sessions) == 0o700 and _mode(session.folder) == 0o700
    for path in session.folder.iterdir():
        assert _mode(path) == 0o600, path
    assert not [p for p in session.folder.iterdir() if p.name.endswith(".tmp")]
    note = json.loads((session.folder / "notes.jsonl").read_text())
    assert note["text"] == "personal remark" and note["at"][:4].isdigit()


def test_history_keeps_every_earlier_answer_and_restore_adds_a_revision(run_cli, sessions):
    run_cli("session", "new", "h", "--profile", LAURA)
    run_cli("session", "set", "h", "--set", "collaborations[0].stage=funded")
    run_cli("session", "set", "h", "--set", "collaborations[0].stage=structured", "--set", "willing_to_relocate=true")
    code, out, _ = run_cli("session", "history", "h")
    assert code == 0
    assert "collaborations[0].stage: informal → funded" in out
    assert "collaborations[0].stage: funded → structured" in out
    code, out, _ = run_cli("session", "history", "h", "--revision", "2")
    assert yaml.safe_load(out)["collaborations"][0]["stage"] == "funded"
    code, out, _ = run_cli("session", "restore", "h", "1")
    assert code == 0 and "collaborations[0].stage: structured → informal" in out
    session = SessionStore(sessions).open("h")
    assert [r["revision"] for r in session.history()] == [1, 2, 3, 4]
    assert session.profile().collaborations[0].stage == "informal"
    assert run_cli("session", "history", "h", "--revision", "9")[0] == 1


def test_a_change_that_changes_nothing_is_not_recorded(sessions):
    session = SessionStore(sessions).create("same")
    assert session.save_profile(session.profile(), by="set") == []
    assert len(session.history()) == 1


@pytest.mark.parametrize("name", ["../escape", "a/b", "..", ".hidden", "", "x" * 65, "semi;colon", "space name"])
def test_unsafe_names_are_refused(run_cli, sessions, name):
    code, _, err = run_cli("session", "new", name)
    assert code == 1 and "cannot be used as a name" in err and "fix:" in err
    assert not sessions.exists() or list(sessions.iterdir()) == []


def test_existing_and_unknown_sessions(run_cli, sessions):
    run_cli("session", "new", "laura")
    code, _, err = run_cli("session", "new", "laura")
    assert code == 1 and "already exists" in err
    code, _, err = run_cli("session", "note", "lara", "x")
    assert code == 1 and "did you mean 'laura'" in err


def test_bad_answers_are_refused_with_the_profile_errors(run_cli, sessions):
    run_cli("session", "new", "s")
    before = (sessions / "s" / "profile.yaml").read_bytes()
    code, _, err = run_cli("session", "set", "s", "--set", "career_stage=postdok")
    assert code == 1 and "did you mean 'postdoc'" in err
    code, _, err = run_cli("session", "set", "s", "--set", "carrer_stage=postdoc")
    assert code == 1 and "did you mean 'career_stage'" in err
    assert (sessions / "s" / "profile.yaml").read_bytes() == before


def test_answers_can_be_changed_without_writing_set(run_cli, sessions):
    # `advisor session set s career_stage=postdoc` is what people type first: it was refused as unrecognized.
    run_cli("session", "new", "s")
    code, out, err = run_cli("session", "set", "s", "career_stage=postdoc", "--set", "phd_year=2019")
    assert code == 0, err
    assert "career_stage: unknown → postdoc" in out and "phd_year: unknown → 2019" in out
    code, out, _ = run_cli("session", "whatif", "s", "career_stage=professor")
    assert code == 0 and "What if career_stage=professor" in out
    code, _, err = run_cli("session", "set", "s", "postdoc")
    assert code == 1 and "'postdoc' is not FIELD=VALUE" in err


def test_countries_are_set_by_name_and_kept_as_codes(run_cli, sessions):
    run_cli("session", "new", "s")
    code, out, err = run_cli("session", "set", "s", "country=Allemagne", "collaborations[0].partner_country=Italy")
    assert code == 0, err
    saved = yaml.safe_load((sessions / "s" / "profile.yaml").read_text())
    assert saved["country"] == "DE" and saved["collaborations"] == [{"partner_country": "IT"}]
    code, _, err = run_cli("session", "set", "s", "nationality=Itlay")
    assert code == 1 and "nationality: 'Itlay': is not a country we know: did you mean Italy (IT)?" in err


def test_hand_broken_profile_gives_its_line_and_is_left_untouched(run_cli, sessions):
    run_cli("session", "new", "broken", "--profile", LAURA)
    profile = sessions / "broken" / "profile.yaml"
    text = profile.read_text().replace("career_stage: junior_researcher", "career_stage: [unclosed")
    profile.write_text(text)
    for command in (("show", "broken"), ("set", "broken", "--set", "phd_year=2000"), ("evaluate", "broken"),
                    ("whatif", "broken", "--set", "phd_year=2000")):
        code, out, err = run_cli("session", *command)
        assert code == 1, command
        assert "profile.yaml:" in err and "advisor session history broken" in err
    assert profile.read_text() == text
    code, out, _ = run_cli("session", "list")
    assert code == 0 and "damaged" in out


def test_damaged_notes_line_is_reported_skipped_and_kept(run_cli, sessions):
    run_cli("session", "new", "n")
    run_cli("session", "note", "n", "first")
    notes = sessions / "n" / "notes.jsonl"
    damaged = notes.read_text() + '{"at": "2024-01-01", "text": "cut in the midd'
    notes.write_text(damaged)
    code, _, err = run_cli("session", "note", "n", "second")
    assert code == 0 and "notes.jsonl:2:" in err and "skipped" in err
    assert notes.read_text().startswith(damaged + "\n")  # the damaged line is left as it is, on a line of its own
    code, out, err = run_cli("session", "show", "n")
    assert code == 0 and "first" in out and "second" in out and "Notes (2)" in out
    assert err.count("notes.jsonl:2:") == 1 and "repair or remove this line" in err


def test_hostile_nesting_in_notes_is_reported_not_a_crash(run_cli, sessions):
    run_cli("session", "new", "n")
    notes = sessions / "n" / "notes.jsonl"
    notes.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    code, _, err = run_cli("session", "show", "n")
    assert code == 0 and "notes.jsonl:1: line" in err and "nested too deeply to read; it is skipped" in err
    assert "Traceback" not in err


def test_a_note_never_acts_on_the_terminal(run_cli, sessions):
    run_cli("session", "new", "n")
    assert run_cli("session", "note", "n", "call back \x1b[2J\x07 tomorrow")[0] == 0
    code, out, _ = run_cli("session", "show", "n")
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "call back \\x1b[2J\\x07 tomorrow" in out


def test_interrupted_write_leaves_the_old_file(sessions, monkeypatch):
    session = SessionStore(sessions).create("atomic")
    session.add_note("kept")
    before = (session.folder / "notes.jsonl").read_bytes()

    def fail(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fail)  # the note is written, not yet on disk
    with pytest.raises(KeyboardInterrupt):
        session.add_note("lost in the crash")
    assert (session.folder / "notes.jsonl").read_bytes() == before
    assert not [p for p in session.folder.iterdir() if p.name.endswith(".tmp")]


def test_interrupted_new_never_shows_a_half_session(sessions, monkeypatch):
    store = SessionStore(sessions)
    real_replace = os.replace

    def fail_on_folder(src, dst):
        if str(src).endswith(".new"):
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_folder)
    with pytest.raises(KeyboardInterrupt):
        store.create("half")
    monkeypatch.setattr(os, "replace", real_replace)
    assert store.names() == []
    assert store.create("half").profile().career_stage is None  # the leftover is cleared, the name usable


def test_empty_note_is_refused(run_cli, sessions):
    run_cli("session", "new", "e")
    code, _, err = run_cli("session", "note", "e", "  ")
    assert code == 1 and "is empty" in err


def test_changes_between_names_partnership_fields():
    before = {"goals": ["consolidate"], "collaborations": [{"stage": "informal"}]}
    after = {"goals": ["consolidate"], "collaborations": [{"stage": "funded"}, {"partner_country": "US"}]}
    assert changes_between(before, after) == [
        {"field": "collaborations[0].stage", "before": "informal", "after": "funded"},
        {"field": "collaborations[1].partner_country", "before": None, "after": "US"}]


def test_sessions_dir_option_overrides_the_environment(run_cli, sessions, tmp_path):
    other = tmp_path / "elsewhere"
    assert run_cli("session", "new", "x", "--sessions-dir", other)[0] == 0
    assert (other / "x" / "session.yaml").is_file() and not sessions.exists()


def test_session_info_damage_is_reported(sessions):
    session = SessionStore(sessions).create("info")
    (session.folder / "session.yaml").write_text("format: 2\nname: info\ncreated: now\n")
    with pytest.raises(InputError) as error:
        session.info()
    assert "session.yaml:1" in str(error.value)


def test_a_damaged_session_can_still_be_deleted(run_cli, sessions):
    run_cli("session", "new", "lost")
    (sessions / "lost" / "session.yaml").unlink()
    assert run_cli("session", "show", "lost")[0] == 1
    code, out, _ = run_cli("session", "delete", "lost", "--yes")
    assert code == 0 and not (sessions / "lost").exists()
    code, _, err = run_cli("session", "delete", "lost", "--yes")
    assert code == 1 and "no session named 'lost'" in err


def test_questionnaire_bookkeeping_is_not_an_answer_change():
    before = {"career_stage": "postdoc", "questionnaire": {"asked": ["career_stage"]}}
    after = {"career_stage": "postdoc", "questionnaire": {"asked": ["career_stage", "phd_year"]}}
    assert changes_between(before, after) == []


def test_bookkeeping_is_saved_without_a_new_revision(sessions):
    session = SessionStore(sessions).create("q")
    profile = session.profile().model_copy(update={"questionnaire": {"asked": ["career_stage"]}})
    assert session.save_profile(profile, by="ask") == []
    assert session.profile().questionnaire == {"asked": ["career_stage"]}
    assert len(session.history()) == 1


def test_a_usage_error_records_nothing(run_cli, sessions):
    assert run_cli("session", "new", "laura", "--profile", LAURA)[0] == 0
    code, _, err = run_cli("session", "evaluate", "laura", "--full")
    assert code == 2 and "--full is for --format json" in err
    assert not (sessions / "laura" / "evaluations.jsonl").exists()
