"""A questionnaire whose answers an adviser's session keeps (`advisor session ask`, and the web pages)."""

from __future__ import annotations

import copy
from typing import Any, Callable

from advisor.io.documents import Document, load_yaml_file
from advisor.io.profiles import dump_profile, profiles_from_document
from advisor.questionnaire.bookkeeping import answers_from_profile, answers_to_profile
from advisor.questionnaire.questions import QuestionSet
from advisor.questionnaire.state import Answers
from advisor.sessions.store import Session, rebased


def session_answers(session: Session, questions: QuestionSet, version: str) -> tuple[Answers, dict[str, Any], list[str]]:
    """The session's answers with their bookkeeping, the dumped profile they were read from, and notices about
    what could not be kept (a damaged `questionnaire:` section is an InputError naming profile.yaml's lines)."""
    read = dump_profile(session.profile())
    answers, notices = answers_from_profile(copy.deepcopy(read), questions, version,
                                            load_yaml_file(session.file("profile.yaml")))
    return answers, read, notices


def session_saver(session: Session, read: dict[str, Any], version: str) -> Callable[[Answers], None]:
    """Save the questionnaire's answers into the session, keeping what another command (`session set`) changed
    there since the questionnaire read them (`read`): only the answers the questionnaire changed are written."""
    seen = [read]

    def save(answers: Answers) -> None:
        new = dump_profile(answers_to_profile(answers, version))
        session.update_profile(lambda current: profiles_from_document(Document(
            f"session {session.name}", rebased(dump_profile(current), seen[0], new)))[0].profile, by="ask")
        seen[0] = new

    return save
