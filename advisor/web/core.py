"""What every request shares: the advisor, the questions, the planner, the sessions folder.

durable_rules' rulesets must not be used by two threads at once (docs/durable-rules.md, section 3), and
requests run on a pool of threads: every evaluation and every move of a questionnaire holds `lock`.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

from advisor.advice.advisor import Advisor, open_advisor
from advisor.contract.profile import Profile
from advisor.contract.result import ExplainedResult, Result
from advisor.errors import Problem
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.questions import QuestionSet, load_questions
from advisor.sessions.store import SessionStore
from advisor.web.settings import Settings


@dataclass
class Advice:
    """One evaluation: the result contract and its explained form."""

    result: Result
    explained: ExplainedResult


@dataclass
class Core:
    settings: Settings
    advisor: Advisor = field(init=False)
    questions: QuestionSet = field(init=False)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _planner: Planner | None = None

    def __post_init__(self) -> None:
        self.advisor = open_advisor(self.settings.rules, self.settings.engine)
        self.questions = load_questions(self.advisor.rulebase)

    def planner(self) -> Planner:
        """The questionnaire's planner for today (rebuilt when the date changes)."""
        today = dt.date.today()
        with self.lock:
            if self._planner is None or self._planner.today != today:
                self._planner = Planner(self.advisor.rulebase, self.questions, today)
            return self._planner

    def store(self, warnings: list[Problem]) -> SessionStore:
        """The sessions folder; a damaged record it skips is added to `warnings` (shown on the page)."""
        return SessionStore(self.settings.sessions_dir, warnings.append)

    def advise(self, profile: Profile, source: str | None, as_of: dt.date | None = None) -> Advice:
        """The advice for a profile (for the date `as_of`, else the profile's, else today)."""
        if as_of is not None:
            profile = profile.model_copy(update={"as_of": as_of})
        with self.lock:
            result = self.advisor.evaluate(profile, source)
            return Advice(result, self.advisor.explain(result))
