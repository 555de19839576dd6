"""Adviser sessions: one folder of plain, diffable files per researcher.

    <sessions>/<name>/
      session.yaml       what the session is (name, creation time, format)
      profile.yaml       the researcher's current answers (a profile file: `advisor evaluate` reads it)
      history.jsonl      one line per change of answers: when, by what, which fields, the whole profile after
      notes.jsonl        the adviser's notes, one line each
      evaluations.jsonl  each evaluation made: when, as_of, rulebase version, engine, verdicts, path
      scenarios/*.yaml   what-if scenarios kept by name
      exports.jsonl      reports written from the session (so that `delete` can name them)

Files are owner-only and written atomically (see `advisor.io.private`). Nothing is
ever written after a failed read: a damaged file is reported with its line
and left as it is.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from advisor.contract.profile import Profile
from advisor.contract.result import ExplainedResult, Result
from advisor.errors import InputError, Problem, did_you_mean, display_path
from advisor.io.documents import Document, load_yaml_file
from advisor.io.private import (
    append_jsonl,
    locked,
    private_dir,
    read_jsonl,
    write_private,
)
from advisor.io.profiles import dump_profile, load_profiles, profiles_from_document

SESSION_FORMAT = 1
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
NAME_RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"


def default_sessions_dir(environ: dict[str, str] | None = None) -> Path:
    """$ADVISOR_SESSIONS, else $XDG_DATA_HOME/advisor/sessions, else ~/.local/share/advisor/sessions."""
    env = os.environ if environ is None else environ
    if env.get("ADVISOR_SESSIONS"):
        return Path(env["ADVISOR_SESSIONS"]).expanduser()
    data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "advisor" / "sessions"


def now() -> str:
    """The current local time with its offset, to the second (the history's timestamps)."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def check_name(name: str, what: str = "session") -> str:
    """`name` if it is a safe file name (no path, no traversal); an InputError otherwise."""
    if not NAME.fullmatch(name) or ".." in name:
        raise InputError(Problem(f"{what} name {name!r}", "cannot be used as a name", field=what,
                                 fix=f"use {NAME_RULE}, e.g. laura-g-2024"))
    return name


class SessionInfo(BaseModel):
    """`session.yaml`."""

    model_config = ConfigDict(extra="forbid")
    format: Literal[1] = SESSION_FORMAT
    name: str
    created: str


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field changes between two dumped profiles (partnerships as `collaborations[i].field`)."""
    old, new = _flatten(before), _flatten(after)
    return [{"field": key, "before": old.get(key), "after": new.get(key)}
            for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]


def _flatten(profile: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in profile.items():
        if key in ("schema_version", "questionnaire"):  # the questionnaire's bookkeeping is not an answer
            continue
        if key == "collaborations" and value:
            for i, collaboration in enumerate(value):
                flat.update({f"collaborations[{i}].{k}": v for k, v in collaboration.items()})
                if not collaboration:
                    flat[f"collaborations[{i}]"] = {}
        else:
            flat[key] = value
    return flat


@dataclass
class Scenario:
    """A what-if kept in a session: the changes tried and the verdicts they changed."""

    name: str
    data: dict[str, Any]


@dataclass
class Session:
    folder: Path
    name: str

    def file(self, name: str) -> Path:
        return self.folder / name

    # -- what the session is ------------------------------------------------------------------
    def info(self) -> SessionInfo:
        path = self.file("session.yaml")
        doc = load_yaml_file(path)
        try:
            return SessionInfo.model_validate(doc.data)
        except ValidationError as error:
            first = error.errors()[0]
            line, col = doc.where(tuple(first["loc"]))
            raise InputError(Problem(doc.path, first["msg"], line, col, ".".join(map(str, first["loc"])) or None,
                                     "repair the file by hand; it was left as it is")) from None

    # -- the researcher's answers ---------------------------------------------------------------
    def profile(self) -> Profile:
        path = self.file("profile.yaml")
        try:
            loaded = load_profiles(path)
        except InputError as error:
            for problem in error.problems:
                problem.fix = (problem.fix + "; " if problem.fix else "") + (
                    f"the session was left as it is (earlier answers: `advisor session history {self.name}`)")
            raise
        if len(loaded) != 1:
            raise InputError(Problem(display_path(path), f"holds {len(loaded)} profiles; a session has one", 1, 1,
                                     fix="keep one profile in the file"))
        return loaded[0].profile

    def history(self) -> list[dict[str, Any]]:
        return read_jsonl(self.file("history.jsonl"))

    def revision(self) -> int:
        return len(self.history())

    def save_profile(self, profile: Profile, by: str) -> list[dict[str, Any]]:
        """Make `profile` the current answers, recording what changed in the history; returns the changes."""
        with locked(self.folder):
            history = self.history()
            before = dump_profile(self.profile()) if history else {}
            after = dump_profile(profile)
            if history and before == after:
                return []
            changes = changes_between(before, after)
            write_private(self.file("profile.yaml"), _profile_text(self.name, after))
            if changes or not history:  # a change of bookkeeping only (the questionnaire's) is no revision
                append_jsonl(self.file("history.jsonl"), {"at": now(), "revision": len(history) + 1, "by": by,
                                                           "changes": changes, "profile": after})
            return changes

    def profile_at(self, revision: int) -> Profile:
        """The answers as they were after `revision` (1 = when the session began)."""
        history = self.history()
        if not 1 <= revision <= len(history):
            raise InputError(Problem(display_path(self.file("history.jsonl")), f"has no revision {revision}",
                                     field="revision", fix=f"choose 1 to {len(history)}"))
        doc = Document(f"{display_path(self.file('history.jsonl'))} revision {revision}",
                       history[revision - 1].get("profile"))
        return profiles_from_document(doc)[0].profile

    # -- notes, evaluations, scenarios, exports -----------------------------------------------------
    def notes(self) -> list[dict[str, Any]]:
        return read_jsonl(self.file("notes.jsonl"))

    def add_note(self, text: str) -> None:
        text = text.strip()
        if not text:
            raise InputError(Problem("note", "is empty", field="text", fix='write the note, e.g. "wants to move to Italy"'))
        with locked(self.folder):
            append_jsonl(self.file("notes.jsonl"), {"at": now(), "text": text})

    def evaluations(self) -> list[dict[str, Any]]:
        return read_jsonl(self.file("evaluations.jsonl"))

    def record_evaluation(self, result: Result | ExplainedResult, by: str) -> None:
        with locked(self.folder):
            append_jsonl(self.file("evaluations.jsonl"), {
                "at": now(), "by": by, "revision": self.revision(), "as_of": result.as_of.isoformat(),
                "rulebase": result.rulebase.model_dump(), "engine": result.engine,
                "verdicts": {a.id: a.verdict for a in result.results}, "path": result.path,
                "warnings": result.warnings})

    def scenarios(self) -> list[Scenario]:
        folder = self.file("scenarios")
        if not folder.is_dir():
            return []
        return [Scenario(path.stem, load_yaml_file(path).data or {}) for path in sorted(folder.glob("*.yaml"))]

    def save_scenario(self, name: str, data: dict[str, Any]) -> Path:
        check_name(name, "scenario")
        with locked(self.folder):
            path = private_dir(self.file("scenarios")) / f"{name}.yaml"
            write_private(path, yaml.safe_dump({"name": name, "at": now(), **data}, sort_keys=False,
                                               allow_unicode=True))
            return path

    def exports(self) -> list[dict[str, Any]]:
        return read_jsonl(self.file("exports.jsonl"))

    def record_export(self, path: Path, fmt: str, withheld: list[str]) -> None:
        with locked(self.folder):
            append_jsonl(self.file("exports.jsonl"), {"at": now(), "path": str(path.resolve()), "format": fmt,
                                                      "withheld": withheld})


def _profile_text(name: str, data: dict[str, Any]) -> str:
    header = (f"# The answers of session {name}. Change them with `advisor session set {name} FIELD=VALUE`;\n"
              "# a hand edit is checked on the next read (earlier answers: `advisor session history`).\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@dataclass
class SessionStore:
    """The sessions folder."""

    root: Path

    def names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and NAME.fullmatch(p.name))

    def _folder(self, name: str) -> Path:
        return self.root / check_name(name)

    def open(self, name: str) -> Session:
        folder = self._folder(name)
        if not (folder / "session.yaml").is_file():
            guess = did_you_mean(name, self.names())
            fix = f"did you mean '{guess}'?" if guess else "`advisor session list` shows the sessions"
            raise InputError(Problem(display_path(self.root), f"has no session named '{name}'", field="session",
                                     fix=fix + f"; `advisor session new {name}` starts one"))
        return Session(folder, name)

    def create(self, name: str, profile: Profile | None = None, by: str = "new") -> Session:
        folder = self._folder(name)
        if folder.exists():
            raise InputError(Problem(display_path(folder), f"a session named '{name}' already exists", field="session",
                                     fix="choose another name, or `advisor session delete` the old one first"))
        private_dir(self.root)
        staging = self.root / f".{name}.new"
        for leftover in (staging, self.root / f".{name}.deleting"):  # from an interrupted `new` or `delete`
            if leftover.exists():
                shutil.rmtree(leftover)
        session = Session(private_dir(staging), name)
        write_private(session.file("session.yaml"), yaml.safe_dump(
            SessionInfo(name=name, created=now()).model_dump(), sort_keys=False, allow_unicode=True))
        session.save_profile(profile or Profile(), by)
        os.replace(staging, folder)  # the session appears whole or not at all
        return Session(folder, name)

    def delete(self, name: str) -> list[str]:
        """Remove every file of the session; returns the reports written from it (outside, so kept)."""
        folder = self._folder(name)
        session = Session(folder, name) if folder.is_dir() else self.open(name)  # even a damaged one
        try:
            exported = [e.get("path", "?") for e in session.exports()]
        except InputError:
            exported = []
        trash = self.root / f".{name}.deleting"
        os.replace(session.folder, trash)  # gone from `list` at once, even if the removal is interrupted
        shutil.rmtree(trash)
        return exported
