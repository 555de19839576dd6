"""Measure the questionnaire: questions asked against asking every question, and planning time.

    python benchmarks/bench_ask.py [--profiles 300] [--seed 7]

Each profile is answered by a replay of the questionnaire (`advisor.questionnaire.replay`): the
questions `advisor ask` would ask that person, answers the profile lacks given as "I don't know".
"Every question" is a fixed questionnaire that asks each question whose `when` holds, and each
partnership question for every partnership. The advice from the answers is checked to be the
advice from the whole profile. Prints the Markdown table of docs/ask.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from advisor.advice.advisor import Advisor
from advisor.contract.profile import Profile
from advisor.engines.python import PythonEngine
from advisor.io.profiles import dump_profile, load_profiles
from advisor.questionnaire.flow import Session
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.questions import load_questions
from advisor.questionnaire.replay import ProfileInterviewer, every_question
from advisor.questionnaire.state import Answers
from advisor.rulebase.loader import load_rulebase
from advisor.toolkit.synthetic import synthetic_profiles

TODAY = dt.date(2026, 1, 1)
ROOT = Path(__file__).resolve().parent.parent


class Timed(Planner):
    """The planner, timing each decision of the next question."""

    seconds: list[float] = []

    def plan(self, answers):
        start = time.perf_counter()
        try:
            return super().plan(answers)
        finally:
            self.seconds.append(time.perf_counter() - start)


class Recorder(ProfileInterviewer):
    """Also records the progress shown ("question n of about N")."""

    def __init__(self, profile):
        super().__init__(profile)
        self.shown: list[tuple[int, int]] = []

    def ask(self, prompt):
        self.shown.append((prompt.number, prompt.total))
        return super().ask(prompt)


def measure(planner: Timed, advisor: Advisor, profiles: list[dict]) -> dict:
    asked, everything, same, errors = [], [], 0, []
    for data in profiles:
        profile = Profile.model_validate(data)
        interviewer = Recorder(data)
        start = {k: data[k] for k in ("schema_version", "as_of") if k in data}
        answers = Session(planner, Answers(data=start), interviewer).run()
        asked.append(len(interviewer.asked))
        everything.append(every_question(planner.questions, planner.rulebase, profile, TODAY))
        verdicts = [{a.id: a.verdict for a in advisor.evaluate(p, today=TODAY).results}
                    for p in (profile, Profile.model_validate(answers.data))]
        same += verdicts[0] == verdicts[1]
        final = len(interviewer.asked)
        errors += [abs(total - final) / final for _, total in interviewer.shown]
    return {"n": len(profiles), "asked": sum(asked), "every": sum(everything), "same": same,
            "mean_asked": statistics.mean(asked), "mean_every": statistics.mean(everything),
            "estimate_error": statistics.mean(errors) if errors else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rulebase = load_rulebase()
    questions = load_questions(rulebase)
    planner = Timed(rulebase, questions, TODAY)
    advisor = Advisor(rulebase, PythonEngine(rulebase))
    examples = [dump_profile(item.profile) for path in sorted((ROOT / "profiles").glob("*.yaml"))
                for item in load_profiles(path)]
    sets = [("example careers (profiles/)", examples),
            (f"generated, 15% of answers unknown (seed {args.seed})",
             list(synthetic_profiles(args.profiles, seed=args.seed))),
            (f"generated, every answer known (seed {args.seed + 1})",
             list(synthetic_profiles(args.profiles, seed=args.seed + 1, missing=0.0)))]
    print("| profiles | count | questions asked (mean) | every question (mean) | asked / every | same advice |"
          " progress estimate error |")
    print("|---|---|---|---|---|---|---|")
    for name, profiles in sets:
        m = measure(planner, advisor, profiles)
        print(f"| {name} | {m['n']} | {m['mean_asked']:.1f} | {m['mean_every']:.1f} | "
              f"{m['asked'] / m['every']:.0%} | {m['same']}/{m['n']} | {m['estimate_error']:.0%} |")
    seconds = sorted(planner.seconds)
    print(f"\nChoosing the next question: median {statistics.median(seconds) * 1000:.1f} ms, "
          f"95th percentile {seconds[int(len(seconds) * 0.95)] * 1000:.1f} ms, "
          f"max {seconds[-1] * 1000:.1f} ms over {len(seconds):,} decisions.")


if __name__ == "__main__":
    main()
