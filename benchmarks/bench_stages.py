"""Where each microsecond of a batch goes, per profile, stage by stage, in one process.

    python benchmarks/bench_stages.py [--profiles 20000] [--seed 7] [--engine durable|python]

Reads seeded synthetic profiles as JSON Lines lines (as a batch worker does) and times, for each
output format, each stage of a worker's work on every profile: reading (JSON parse and validation),
the engine, the advice (assessing every rule; for table and Markdown only the verdicts), the texts
(explaining, for --full and CSV), and making the output (serialising JSON, CSV rows, a table line).
The first half of the profiles warms the advice's memory; the second half is measured. The
worker's cycle-collector setting applies (see advisor/batch/worker.py). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict

from advisor.advice.advisor import open_advisor
from advisor.batch import worker
from advisor.batch.formats import CsvFormat, TableFormat
from advisor.batch.reading import read_line
from advisor.contract.result import dump_compact
from advisor.toolkit.synthetic import synthetic_profiles

STAGES = ("read", "engine", "advice", "texts", "output")


def measure(fmt: str, lines: list[str], engine: str) -> dict[str, float]:
    """Microseconds per profile in each stage, over the second half of `lines`."""
    advisor = open_advisor(engine=engine, counterfactuals=False, trace=fmt == "jsonl-full")
    spent: dict[str, float] = defaultdict(float)
    evaluate = advisor.engine.evaluate

    def timed_engine(subjects):
        start = time.perf_counter()
        outcomes = evaluate(subjects)
        spent["engine"] += time.perf_counter() - start
        return outcomes

    advisor.engine.evaluate = timed_engine
    csv, table = CsvFormat(advisor), TableFormat(advisor)
    half = len(lines) // 2
    for number, line in enumerate(lines, 1):
        if number == half + 1:
            spent.clear()
        t0 = time.perf_counter()
        (item,) = read_line("profiles.jsonl", number, line)
        t1 = time.perf_counter()
        if fmt == "table":
            table(item.profile, item.source, None)  # the verdicts, then a line: timed as advice
            t2 = t3 = time.perf_counter()
        else:
            result = advisor.evaluate(item.profile, item.source)
            t2 = time.perf_counter()
            if fmt == "jsonl":
                t3 = t2
                dump_compact(result)
            elif fmt == "jsonl-full":
                explained = advisor.explain(result)
                t3 = time.perf_counter()
                explained.model_dump_json()
            else:  # csv: each recommendation's cells are its texts, remembered as CSV text
                for rule_result in result.results:
                    csv._cells(rule_result, result.as_of)
                t3 = time.perf_counter()
                CsvFormat._rows([[item.source, item.profile.name]])
        t4 = time.perf_counter()
        spent["read"] += t1 - t0
        spent["advice"] += t2 - t1
        spent["texts"] += t3 - t2
        spent["output"] += t4 - t3
    spent["advice"] -= spent["engine"]
    return {stage: spent[stage] / (len(lines) - half) * 1e6 for stage in STAGES}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engine", choices=("durable", "python"), default="durable")
    args = parser.parse_args()
    worker.Worker.fewer_collections()
    lines = [json.dumps(data) for data in synthetic_profiles(args.profiles, seed=args.seed)]
    print(f"{args.profiles // 2:,} generated profiles measured after as many to warm up, engine {args.engine}; "
          "microseconds per profile:\n")
    print("| format | " + " | ".join(STAGES) + " | total | one core's rate |")
    print("|---|" + "---:|" * (len(STAGES) + 2))
    for fmt in ("jsonl", "jsonl-full", "csv", "table"):
        spent = measure(fmt, lines, args.engine)
        total = sum(spent.values())
        print(f"| {fmt} | " + " | ".join(f"{spent[s]:,.0f}" for s in STAGES) + f" | {total:,.0f} | "
              f"{1e6 / total:,.0f}/s |", flush=True)


if __name__ == "__main__":
    main()
