"""A session's records as the adviser's pages show them: answers, history, evaluations and scenarios in words
(the questionnaire's labels and the catalogue's words; no field path, id, enum value or ISO timestamp)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from advisor.contract.profile import Profile
from advisor.contract.words import Words, day, moment
from advisor.io.profiles import dump_profile
from advisor.questionnaire.bookkeeping import answers_from_profile
from advisor.questionnaire.flow import Questionnaire
from advisor.questionnaire.in_session import session_answers
from advisor.questionnaire.state import Answers
from advisor.render.report import change_words
from advisor.render.short import VERDICT_WORDS
from advisor.sessions.store import Session
from advisor.web.core import Core

BOOKKEEPING = ("schema_version", "questionnaire")
WHOLE_PARTNERSHIP = re.compile(r"^collaborations\[(\d+)\]$")
REPORT_KINDS = {"pdf": "PDF", "md": "Markdown", "html": "HTML"}
BY = {"new": "session started", "ask": "the questionnaire", "set": "answers changed", "evaluate": "evaluated",
      "web": "the questionnaire, in the browser", "report": "a report written"}


def answer_rows(core: Core, answers: Answers, profile: Profile) -> list[tuple[str, str]]:
    """(question, answer) for every answer given: the questionnaire's own labels, then the answers no question
    asks (a profile file's, `session set`'s) in the catalogue's words."""
    rows = [(item.label, item.shown) for item in Questionnaire(core.planner(), answers).review_items()]
    asked = {question.field for question in core.questions.questions}
    words = core.advisor.catalogue.words
    for name in answers.data:
        if name not in asked and name not in BOOKKEEPING:
            label = words.field(name)
            rows.append((label[:1].upper() + label[1:], words.value(name, getattr(profile, name))))
    return rows


def current_answers(core: Core, session: Session) -> list[tuple[str, str]]:
    """The session's answers in words; an InputError (with its lines) for a damaged profile.yaml."""
    answers = session_answers(session, core.questions, core.advisor.rulebase.version)[0]
    return answer_rows(core, answers, session.profile())


def answers_at(core: Core, session: Session, revision: int) -> tuple[Profile, list[tuple[str, str]]]:
    """The answers after `revision`, and in words."""
    profile = session.profile_at(revision)
    answers = answers_from_profile(dump_profile(profile), core.questions, core.advisor.rulebase.version)[0]
    return profile, answer_rows(core, answers, profile)


def by_words(by: str) -> str:
    """What made a change or an evaluation (`restore revision 2`, `whatif ...`), in words."""
    if by.startswith("new from "):
        return f"session started from the profile file {by.removeprefix('new from ')}"
    if by.startswith("restore revision "):
        return f"revision {by.removeprefix('restore revision ')} restored"
    if by.startswith("whatif"):
        return "a what-if applied"
    if by.startswith("web report"):
        kind = by.removeprefix("web report").strip(" ()")
        return f"a {REPORT_KINDS[kind]} report downloaded" if kind in REPORT_KINDS else "a report downloaded"
    return BY.get(by, by)


def _value(words: Words, field: str, value: Any) -> str:
    if value is None:
        return "not answered"
    if isinstance(value, dict):
        return "described" if value else "not described yet"
    if field == "as_of" and isinstance(value, str):
        try:
            return day(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return words.value(field, value)


def _field(words: Words, field: str) -> str:
    whole = WHOLE_PARTNERSHIP.match(field)
    return f"partnership {int(whole.group(1)) + 1}" if whole else words.field(field)


def change_said(words: Words, change: dict[str, Any]) -> str:
    """One change of answers: `career stage: postdoctoral researcher → junior researcher`."""
    field = str(change.get("field", ""))
    return (f"{_field(words, field)}: {_value(words, field, change.get('before'))} → "
            f"{_value(words, field, change.get('after'))}")


def history_rows(session: Session, words: Words) -> list[dict[str, Any]]:
    """Each revision, most recent first: its number, when, by what, and each answer it changed."""
    return [{"revision": record["revision"], "at": moment(record["at"]), "by": by_words(record.get("by", "")),
             "changes": [change_said(words, change) for change in record.get("changes", [])]}
            for record in reversed(session.history())]


def evaluation_rows(session: Session, core: Core) -> list[dict[str, Any]]:
    """Each evaluation made, most recent first: when, for which date, on which answers, what it found."""
    titles = {rule_id: rule.title for rule_id, rule in core.advisor.catalogue.rules.items()}
    rows = []
    for record in reversed(session.evaluations()):
        counts = Counter(record.get("verdicts", {}).values())
        try:
            as_of = day(dt.date.fromisoformat(record["as_of"]))
        except ValueError:
            as_of = record["as_of"]
        rows.append({"at": moment(record["at"]), "by": by_words(record.get("by", "")), "as_of": as_of,
                     "revision": record.get("revision"), "rulebase": record.get("rulebase", {}).get("version", "").split("+")[0],
                     "counts": [f"{counts[v]} {VERDICT_WORDS[v]}" for v in ("recommended", "possible", "undecided")
                                if counts[v]],
                     "path": [titles.get(rule_id, rule_id) for rule_id in record.get("path", [])]})
    return rows


def scenario_rows(session: Session, words: Words) -> list[dict[str, Any]]:
    """Each saved what-if: its name, when, the changes tried and the verdicts they changed."""
    return [{"name": scenario.name, "at": moment(str(scenario.data.get("at", ""))),
             "changes": [change_words(str(change), words) for change in scenario.data.get("changes", [])],
             "verdicts": scenario.data.get("verdict_changes", [])} for scenario in session.scenarios()]
