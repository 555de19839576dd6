"""Run work items through worker processes in order, with a bounded number of chunks in flight.

Results come back in the order of the inputs whatever the number of jobs, and at most
`AHEAD` chunks per job are queued, so memory stays flat however many profiles there are. Each
chunk's formatted outputs wait in a file of a private temporary folder until the main process
copies them into the report; the folder goes when the run ends (or, if it is killed outright, when the
next run starts: see `leftovers`).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from advisor.batch import worker
from advisor.batch.leftovers import spool_prefix
from advisor.batch.sources import Item
from advisor.batch.summary import Summary
from advisor.batch.worker import Evaluated, Failed, Settings, SpoolFailed
from advisor.errors import Problem

CHUNK = 32  # items per task: big enough to amortise the round trip, small enough to stream
AHEAD = 4  # chunks queued per job


class WorkerCrashed(RuntimeError):
    """A worker process died (the C extension crashed, or the system killed it)."""


def _chunks(entries: Iterable[Item | Problem]) -> Iterator[list[Item | Problem]]:
    iterator = iter(entries)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run(entries: Iterable[Item | Problem], settings: Settings, jobs: int) -> Iterator[Evaluated | Failed | Summary]:
    """Each item's outcomes (and each discovery problem as a `Failed`), in input order; after each chunk's
    outcomes, the summary of its profiles."""
    if jobs <= 1:
        one = worker.Worker(settings)
        for chunk in _chunks(entries):
            counted = one.counting()
            for entry in chunk:  # each output written as it is made: a file may hold thousands of profiles
                yield from one.outcomes(entry, counted) if isinstance(entry, Item) else (Failed([entry]),)
            yield counted
        return
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=worker.start,
                               initargs=(settings, os.getpid()))
    spool = tempfile.mkdtemp(prefix=spool_prefix())  # the workers' outputs, until copied into the report
    pending: deque = deque()

    def submit(chunk: list[Item | Problem]) -> None:
        pending.append((chunk, pool.submit(worker.process_into, [e for e in chunk if isinstance(e, Item)], spool)))

    try:
        chunks = _chunks(entries)
        for chunk in chunks:
            submit(chunk)
            if len(pending) >= AHEAD * jobs:
                break
        while pending:
            chunk, future = pending.popleft()
            try:
                path, outcomes, counted = future.result()
            except BrokenProcessPool:
                raise WorkerCrashed("a worker process died while evaluating "
                                    + ", ".join(e.source for e in chunk if isinstance(e, Item))) from None
            except SpoolFailed:
                raise
            except OSError as error:  # anything else a worker could not handle
                raise WorkerCrashed(f"a worker failed: {error}") from error
            following = next(chunks, None)
            if following is not None:
                submit(following)
            yield from _opened(path, _merge(chunk, outcomes))
            yield counted
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(spool, ignore_errors=True)


def _opened(path: str, outcomes: Iterator[Evaluated | Failed]) -> Iterator[Evaluated | Failed]:
    """The outcomes of one chunk, their spans pointing into its file, which is open while they are used."""
    fd = os.open(path, os.O_RDONLY)
    try:
        for outcome in outcomes:
            if isinstance(outcome, Evaluated):
                outcome.text = outcome.text._replace(fd=fd)
            yield outcome
    finally:
        os.close(fd)
        os.unlink(path)


def _merge(chunk: list[Item | Problem], outcomes: list[list[Evaluated | Failed]]) -> Iterator[Evaluated | Failed]:
    """Discovery problems back in their place among the items' outcomes."""
    produced = iter(outcomes)
    for entry in chunk:
        if isinstance(entry, Problem):
            yield Failed([entry])
        else:
            yield from next(produced)
