"""The work done in each worker process: read an item, advise each profile, format the output.

The main process only puts the formatted text into the report, so the costly parts run in
parallel; with several workers, the text waits for it in a temporary file (`process_into`), which
the kernel copies into the report. A worker builds its own `Advisor` (durable_rules state is per
process).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import os
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from advisor.advice.advisor import open_advisor
from advisor.batch.formats import FORMATTERS
from advisor.batch.pseudonyms import Pseudonyms
from advisor.batch.reading import read_file, read_line
from advisor.batch.sources import Item
from advisor.batch.summary import Summary, changeable_conditions
from advisor.batch.writers import Span
from advisor.errors import InputError, Problem


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs, picklable."""

    format: str
    rules: Path | None = None
    engine: str = "durable"
    as_of: dt.date | None = None  # overrides every profile's as_of
    today: dt.date | None = None  # for profiles without as_of; fixed once per run
    counterfactuals: bool = False
    full: bool = False  # JSON with every text (reasons, titles, next steps...), not the compact form
    anonymize_key: bytes | None = None


@dataclass
class Evaluated:
    """One profile's formatted output, or where a worker left it (its facts go to the chunk's `Summary`)."""

    text: bytes | Span


class SpoolFailed(OSError):
    """A worker could not leave its output in the temporary folder (a full disk, most often)."""


@dataclass
class Failed:
    problems: list[Problem]


# A batch makes thousands of short-lived objects per profile and keeps thousands of remembered results: with
# Python's default thresholds the cycle collector ran every 700 allocations and rescanned them (a quarter to a
# third of a worker's time, measured); every 200,000 it costs 3-40 us a profile. The advice holds no reference
# cycles worth collecting more often.
COLLECT_EVERY = 200_000


class Worker:
    def __init__(self, settings: Settings):
        self.fewer_collections()
        self.settings = settings
        self.advisor = open_advisor(settings.rules, settings.engine, settings.as_of, trace=settings.full,
                                    counterfactuals=settings.counterfactuals, notices=sys.stderr)
        self.format = FORMATTERS[settings.format](self.advisor, anonymized=settings.anonymize_key is not None,
                                                  full=settings.full)
        self.pseudonyms = Pseudonyms(settings.anonymize_key) if settings.anonymize_key is not None else None
        self.changeable = changeable_conditions(self.advisor.rulebase)

    def counting(self) -> Summary:
        """An empty summary for a chunk of profiles: it counts near misses as the main process's does."""
        return Summary(self.changeable)

    @staticmethod
    def fewer_collections() -> None:
        """Let the cycle collector run every COLLECT_EVERY allocations in this process (a worker's, or with one job
        the command's own, which then does nothing but the batch)."""
        gc.set_threshold(COLLECT_EVERY, *gc.get_threshold()[1:])

    def outcomes(self, item: Item, counted: Summary) -> Iterator[Evaluated | Failed]:
        """The outcome of each profile of one item (or its problems), one at a time, as each is made (a file
        may hold thousands), each profile counted into `counted`: the summary the main process adds up."""
        try:
            loaded = read_file(item.path) if item.line is None else read_line(item.path, item.line, item.text)
        except InputError as error:
            yield Failed(error.problems)
            return
        for entry in loaded:
            profile, source = entry.profile, entry.source
            if self.pseudonyms is not None:
                source = self.pseudonyms.of(source)
                profile = profile.model_copy(update={"name": self.pseudonyms.of(profile.name)})
            try:
                text, fact = self.format(profile, source, self.settings.today)
            except InputError as error:  # true of no date of the advice (a PhD after it)
                yield Failed(error.problems)
                continue
            counted.add(fact)
            yield Evaluated(text)


_worker: Worker | None = None


def start(settings: Settings, parent: int) -> None:
    """Pool initializer: build this process's Advisor once. Stopping is the main process's job: a worker
    ignores Ctrl-C (which the terminal sends to every process of the run), ends plainly on SIGTERM, and
    ends with the main process (`parent`) however it ends."""
    global _worker  # one worker per process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with(parent)
    _worker = Worker(settings)


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _end_with(parent: int) -> None:
    """End this process when `parent` ends, even killed with SIGKILL, which no handler of its sees: workers left
    behind went on for minutes with people's data. On Linux the kernel kills it then (the parent-death signal);
    elsewhere a thread checks every second whether it still has that parent."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="advisor-parent-watch").start()
    if os.getppid() != parent:  # it had ended already
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def process_into(items: list[Item], folder: str) -> tuple[str, list[list[Evaluated | Failed]], Summary]:
    """Each item's outcomes, and the summary of their profiles; the formatted outputs go, one after the
    other as they are made, into a new file in `folder`, and each `Evaluated` says where its output is (a
    `Span` whose file the main process opens): a worker holds no output in memory, however big a file."""
    counted = _worker.counting()
    outcomes: list[list[Evaluated | Failed]] = []
    with _Spool(folder) as spool:
        for item in items:
            produced: list[Evaluated | Failed] = []
            for outcome in _worker.outcomes(item, counted):
                if isinstance(outcome, Evaluated):
                    outcome.text = spool.add(outcome.text)
                produced.append(outcome)
            outcomes.append(produced)
    return spool.path, outcomes, counted


class _Spool:
    """A worker's temporary file of outputs (owner-only: they hold personal data). Any failure to create or
    write it is `SpoolFailed` (a full disk, most often), told apart from a failure to evaluate."""

    def __init__(self, folder: str):
        self.folder, self.offset = folder, 0
        with self._failing():
            handle, self.path = tempfile.mkstemp(dir=folder, suffix=".out")
            self.file = os.fdopen(handle, "wb")

    def add(self, text: bytes) -> Span:
        with self._failing():
            self.file.write(text)
        span = Span(-1, self.offset, len(text))
        self.offset += len(text)
        return span

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc) -> None:
        with self._failing():
            self.file.close()  # flushed: a full disk shows here at the latest

    @contextlib.contextmanager
    def _failing(self):
        try:
            yield
        except OSError as error:
            raise SpoolFailed(error.errno, error.strerror, self.folder) from None
