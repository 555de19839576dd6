"""Adviser sessions: one folder of plain, diffable files per researcher.

    <sessions>/<name>/
      session.yaml       what the session is (name, creation time, format)
      profile.yaml       the researcher's current answers (a profile file: `advisor evaluate` reads it)
      history.jsonl      one line per change of answers: when, by what, which fields, the whole profile after
      notes.jsonl        the adviser's notes, one line each
      evaluations.jsonl  each evaluation made: when, as_of, rulebase version, engine, verdicts, path
      scenarios/*.yaml   what-if scenarios kept by name
      exports.jsonl      reports written from the session (so that `delete` can name them)

Files are owner-only and written atomically (see `advisor.io.private`); every
change is made under the session's lock, from what the files hold once the lock
is taken. A damaged record is reported with its file and line, skipped, and
left as it is; a damaged profile.yaml stops every command that needs the answers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Literal

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
from advisor.sessions.records import (
    Evaluation,
    Export,
    HistoryRecord,
    Note,
    ScenarioRecord,
    checked,
)

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


def rebased(current: dict[str, Any], base: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`current` (dumped answers) with the answers that changed from `base` to `new`: what a command that read
    `base` changed, made on what another command may have changed meanwhile (partnerships count as one answer)."""
    merged = dict(current)
    for key in dict.fromkeys([*base, *new]):
        if base.get(key) != new.get(key):
            if key in new:
                merged[key] = new[key]
            else:
                merged.pop(key, None)
    return merged


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
    """One researcher's session folder.

    Reading never stops at a damaged record: it is reported through `warn` (once) and skipped.
    Every change is a read-modify-write under the folder's lock, so two commands never lose
    each other's answers; a change that cannot be written is an InputError naming the folder.
    """

    folder: Path
    name: str
    warn: Callable[[Problem], None] = field(default=lambda problem: None, repr=False)
    _warned: set[str] = field(default_factory=set, repr=False)

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
        return self._records("history.jsonl", HistoryRecord)

    def revision(self) -> int:
        """The number of the last revision (0 before the first)."""
        return max((record["revision"] for record in self.history()), default=0)

    def save_profile(self, profile: Profile, by: str) -> list[dict[str, Any]]:
        """Make `profile` the current answers, recording what changed in the history; returns the changes."""
        return self.update_profile(lambda current: profile, by)

    def update_profile(self, change: Callable[[Profile], Profile], by: str) -> list[dict[str, Any]]:
        """Apply `change` to the current answers, reading them under the lock (so a command running at the same
        time is never undone), and record what changed in the history; returns the changes."""
        with self.writing():
            exists = self.file("profile.yaml").exists()
            current = self.profile() if exists else Profile()
            before = dump_profile(current) if exists else {}
            after = dump_profile(change(current))
            if exists and before == after:
                return []
            return self._commit(before, after, by, first=not exists)

    def _commit(self, before: dict[str, Any], after: dict[str, Any], by: str, first: bool) -> list[dict[str, Any]]:
        """Write the answers `after` and their revision (the caller holds the lock); all or nothing."""
        changes = changes_between(before, after)
        history = self.file("history.jsonl")
        size = None
        if changes or first:  # a change of bookkeeping only (the questionnaire's) is no revision
            size = append_jsonl(history, {"at": now(), "revision": self.revision() + 1, "by": by,
                                          "changes": changes, "profile": after})
        try:
            write_private(self.file("profile.yaml"), _profile_text(self.name, after))
        except BaseException:
            if size is not None:  # the history never names answers that were not saved
                os.truncate(history, size)
            raise
        return changes

    def profile_at(self, revision: int) -> Profile:
        """The answers as they were after `revision` (1 = when the session began)."""
        history = {record["revision"]: record for record in self.history()}
        shown = display_path(self.file("history.jsonl"))
        if revision not in history:
            known = f"choose 1 to {max(history)}" if history else "the history holds no revision that can be read"
            raise InputError(Problem(shown, f"has no revision {revision}", field="revision", fix=known))
        return profiles_from_document(Document(f"{shown} revision {revision}", history[revision]["profile"]))[0].profile

    # -- notes, evaluations, scenarios, exports -----------------------------------------------------
    def notes(self) -> list[dict[str, Any]]:
        return self._records("notes.jsonl", Note)

    def add_note(self, text: str) -> None:
        text = text.strip()
        if not text:
            raise InputError(Problem("note", "is empty", field="text", fix='write the note, e.g. "wants to move to Italy"'))
        try:
            with self.writing():
                append_jsonl(self.file("notes.jsonl"), {"at": now(), "text": text})
        except InputError as error:  # the note is said again, so that it can be added once there is room
            error.problems[0].fix += f"; the note was: {text}"
            raise

    def evaluations(self) -> list[dict[str, Any]]:
        return self._records("evaluations.jsonl", Evaluation)

    def record_evaluation(self, result: Result | ExplainedResult, by: str) -> None:
        """Keep the evaluation in the session; a session that cannot be written is told, not an error (the
        evaluation itself was made and shown)."""
        self._record("evaluations.jsonl", {
            "at": now(), "by": by, "revision": self.revision(), "as_of": result.as_of.isoformat(),
            "rulebase": result.rulebase.model_dump(), "engine": result.engine,
            "verdicts": {a.id: a.verdict for a in result.results}, "path": result.path,
            "warnings": result.warnings}, "this evaluation")

    def scenarios(self) -> list[Scenario]:
        folder = self.file("scenarios")
        if not folder.is_dir():
            return []
        kept = []
        for path in sorted(folder.glob("*.yaml")):
            try:
                data, problem = checked(ScenarioRecord, load_yaml_file(path).data, display_path(path), None)
            except InputError as error:
                data, problem = None, error.problems[0]
            if problem is not None:
                self._warn(problem)
            else:
                kept.append(Scenario(path.stem, data))
        return kept

    def save_scenario(self, name: str, data: dict[str, Any]) -> Path:
        check_name(name, "scenario")
        with self.writing():
            path = private_dir(self.file("scenarios")) / f"{name}.yaml"
            write_private(path, yaml.safe_dump({"name": name, "at": now(), **data}, sort_keys=False,
                                               allow_unicode=True))
            return path

    def exports(self) -> list[dict[str, Any]]:
        return self._records("exports.jsonl", Export)

    def record_export(self, path: Path, fmt: str, withheld: list[str]) -> None:
        """Keep where a report was written (so that `delete` can name it); skipped, and told, when the session
        cannot be written."""
        self._record("exports.jsonl", {"at": now(), "path": str(path.resolve()), "format": fmt,
                                       "withheld": withheld}, "where this report was written")

    # -- reading and writing ---------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the session's lock while changing it; a folder that cannot be written is an InputError."""
        try:
            with locked(self.folder):
                yield
        except OSError as error:
            raise unwritable(self.folder, error, self.name) from None

    def _record(self, name: str, record: dict[str, Any], what: str) -> None:
        try:
            with locked(self.folder):
                append_jsonl(self.file(name), record)
        except OSError as error:
            self._warn(Problem(display_path(self.folder), f"cannot be written ({error.strerror or error}): {what} "
                               "is not recorded in the session", fix=unwritable(self.folder, error).problems[0].fix))

    def _records(self, name: str, model: type) -> list[dict[str, Any]]:
        path = self.file(name)
        try:
            lines = read_jsonl(path)
        except InputError as error:
            self._warn(error.problems[0])
            return []
        for problem in lines.damaged:
            self._warn(problem)
        kept = []
        for line, data in lines.records:
            record, problem = checked(model, data, display_path(path), line)
            if problem is not None:
                self._warn(problem)
            else:
                kept.append(record)
        return kept

    def _warn(self, problem: Problem) -> None:
        """Report `problem` once, however often its file is read."""
        said = str(problem)
        if said not in self._warned:
            self._warned.add(said)
            self.warn(problem)


def unwritable(folder: Path, error: OSError, name: str | None = None) -> InputError:
    """The error for a sessions folder that cannot be changed: what failed, what to do, where the answers are."""
    full = error.errno in (errno.ENOSPC, errno.EDQUOT)
    if full:
        fix = "free space on that disk, then run the command again"
    elif error.errno in (errno.EEXIST, errno.ENOTDIR):
        fix = "a file stands where a folder should be: name the sessions folder with --sessions-dir (or ADVISOR_SESSIONS)"
    elif error.errno == errno.EROFS:
        fix = ("the disk is read-only: copy the sessions folder to a writable disk and name it with --sessions-dir "
               "(or ADVISOR_SESSIONS)")
    else:
        fix = (f"make the folder writable (chmod u+w {folder}), or name another sessions folder with --sessions-dir "
               "(or ADVISOR_SESSIONS)")
    if full and name:
        fix += f"; the answers saved before are kept in {display_path(folder)} (`advisor session show {name}`)"
    return InputError(Problem(display_path(folder), f"cannot be written: {error.strerror or error}; this change "
                              "was not saved", fix=fix))


def _profile_text(name: str, data: dict[str, Any]) -> str:
    header = (f"# The answers of session {name}. Change them with `advisor session set {name} FIELD=VALUE`;\n"
              "# a hand edit is checked on the next read (earlier answers: `advisor session history`).\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@dataclass
class SessionStore:
    """The sessions folder; `warn` is told of each damaged record its sessions skip."""

    root: Path
    warn: Callable[[Problem], None] = field(default=lambda problem: None, repr=False)

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
        return Session(folder, name, self.warn)

    def create(self, name: str, profile: Profile | None = None, by: str = "new") -> Session:
        """A new session holding `profile`: it appears whole or not at all (a failure leaves nothing behind)."""
        folder = self._folder(name)
        staging = self.root / f".{name}.new"
        try:
            with locked(private_dir(self.root)):  # two `new` of one name: one of them says the name is taken
                if folder.exists():
                    raise InputError(Problem(display_path(folder), f"a session named '{name}' already exists",
                                             field="session", fix="choose another name, or `advisor session delete` "
                                                                  "the old one first"))
                for leftover in (staging, self.root / f".{name}.deleting"):  # an interrupted `new` or `delete`
                    if leftover.exists():
                        shutil.rmtree(leftover)
                try:
                    session = Session(private_dir(staging), name)
                    write_private(session.file("session.yaml"), yaml.safe_dump(
                        SessionInfo(name=name, created=now()).model_dump(), sort_keys=False, allow_unicode=True))
                    session._commit({}, dump_profile(profile or Profile()), by, first=True)
                    os.replace(staging, folder)
                except BaseException:
                    shutil.rmtree(staging, ignore_errors=True)
                    raise
        except OSError as error:
            raise unwritable(self.root, error) from None
        return Session(folder, name, self.warn)

    def delete(self, name: str) -> list[str]:
        """Remove every file of the session; returns the reports written from it (outside, so kept)."""
        folder = self._folder(name)
        session = Session(folder, name, self.warn) if folder.is_dir() else self.open(name)  # even a damaged one
        exported = [e["path"] for e in session.exports()]
        trash = self.root / f".{name}.deleting"
        try:
            os.replace(session.folder, trash)  # gone from `list` at once, even if the removal is interrupted
        except OSError as error:
            raise unwritable(self.root, error) from None
        shutil.rmtree(trash, ignore_errors=True)
        return exported
