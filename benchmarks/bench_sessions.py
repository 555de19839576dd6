"""Measure adviser sessions: writing answers and notes as a session grows, questionnaire answers, what-if, reports.

    python benchmarks/bench_sessions.py [--revisions 500] [--notes 500]

Prints a Markdown table (the one in docs/sessions.md). Each session write
rewrites its file atomically, so the cost of one write grows with the file;
the table shows it at the sizes given. Numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
from pathlib import Path

from bench_evaluate import _best_of  # same folder: run as python benchmarks/bench_sessions.py

from advisor.advice.advisor import Advisor
from advisor.engines.durable import DurableEngine
from advisor.io.profiles import dump_profile, load_profiles
from advisor.questionnaire.bookkeeping import answers_from_profile, answers_to_profile
from advisor.questionnaire.questions import load_questions
from advisor.questionnaire.state import Step
from advisor.questionnaire.store import AnswersFile
from advisor.render.report import ReportInput, render_report, report_context
from advisor.rulebase.loader import load_rulebase
from advisor.sessions.store import SessionStore
from advisor.sessions.whatif import apply, parse_assignment, verdict_changes

PROFILE = Path(__file__).resolve().parent.parent / "profiles" / "laura-3-network-coordinator.yaml"


def _best_ms(runs: int, work) -> float:
    return _best_of(runs, work) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--revisions", type=int, default=500)
    parser.add_argument("--notes", type=int, default=500)
    args = parser.parse_args()

    rulebase = load_rulebase()
    advisor = Advisor(rulebase, DurableEngine(rulebase))
    profile = load_profiles(PROFILE)[0].profile
    rows = []
    with tempfile.TemporaryDirectory() as root:
        store = SessionStore(Path(root))
        rows.append(("create a session from a profile, then delete it", _best_ms(5, lambda: _create(store, profile))))
        session = store.create("grown", profile)
        first_note = _best_ms(1, lambda: session.add_note("first note"))
        first_set = _best_ms(1, lambda: session.save_profile(apply(profile, [parse_assignment("phd_year=1999")]),
                                                              "set"))
        for i in range(args.notes):
            session.add_note(f"note {i}: the researcher wants to talk about a network with Italy and Spain")
        for i in range(args.revisions):
            session.save_profile(apply(profile, [parse_assignment(f"collaborations[0].joint_publications={i}")]),
                                 "set")
        rows.append(("add a note (empty session)", first_note))
        rows.append((f"add a note ({args.notes} notes)", _best_ms(5, lambda: session.add_note("one more"))))
        rows.append(("change an answer (1 revision)", first_set))
        toggle = iter(range(10_000, 20_000))
        rows.append((f"change an answer ({args.revisions} revisions)", _best_ms(5, lambda: session.save_profile(
            apply(profile, [parse_assignment(f"collaborations[0].joint_publications={next(toggle)}")]), "set"))))
        rows.append((f"read the history ({args.revisions} revisions)", _best_ms(5, session.history)))
        questions = load_questions(rulebase)
        answers, _ = answers_from_profile(dump_profile(session.profile()), questions, rulebase.version)
        years = iter(range(1950, 2050))

        def answer(save) -> None:  # what `advisor ask` / `advisor session ask` do after each answer
            answers.apply(Step(questions.by_id["phd_year"]), next(years))
            save(answers)
        rows.append((f"save a questionnaire answer into the session ({args.revisions} revisions)", _best_ms(
            5, lambda: answer(lambda kept: session.save_profile(answers_to_profile(kept, rulebase.version), "ask")))))
        rows.append(("save a questionnaire answer into an answers file", _best_ms(
            5, lambda: answer(AnswersFile(Path(root) / "answers.yaml", rulebase.version).save))))
        history_kib = (session.folder / "history.jsonl").stat().st_size / 1024

        changed = apply(profile, [parse_assignment("collaborations[0].countries=1")])
        rows.append(("what-if (two evaluations and the diff)", _best_ms(
            20, lambda: verdict_changes(advisor.explain(advisor.evaluate(profile)),
                                        advisor.explain(advisor.evaluate(changed))))))
        notes = session.notes()
        result = advisor.explain(advisor.evaluate(profile))

        def report(fmt: str):
            return render_report(report_context(ReportInput(
                result=result, profile=profile, rulebase=rulebase, catalogue=advisor.catalogue,
                session="grown", notes=notes[:20])), fmt)

        report("html")  # templates compiled once per process
        rows.append(("Markdown report (20 notes)", _best_ms(10, lambda: report("markdown"))))
        rows.append(("HTML report (20 notes)", _best_ms(10, lambda: report("html"))))
        html_kib = len(report("html").encode()) / 1024

    print("| operation | best time (ms) |")
    print("|---|---:|")
    for name, ms in rows:
        print(f"| {name} | {ms:.2f} |")
    print(f"\nhistory.jsonl after {args.revisions} revisions: {history_kib:.0f} KiB; HTML report: {html_kib:.0f} KiB; "
          f"peak memory of this run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def _create(store: SessionStore, profile) -> None:
    store.create("bench", profile)
    store.delete("bench")


if __name__ == "__main__":
    main()
