"""Measure `advisor evaluate` on one file of many profiles: peak memory and time, per output format.

    python benchmarks/bench_evaluate_stream.py [--sizes 1000,5000] [--formats text,json] [--seed 7]
                                               [--code DIR]

For each size it writes seeded synthetic profiles into one JSON file (a list), then runs
`advisor evaluate FILE --format F` in a fresh process, its report going to the null device, and
prints the process's peak memory (VmHWM: its own, not the benchmark's) and wall time as a Markdown
table (the one in docs/batch.md). `--code DIR` runs the `advisor` package found in DIR instead of
this one (an older version, to compare: `git archive COMMIT advisor | tar -x -C DIR`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_batch import BATCH_RUNNER  # runs a command, then prints its time, peak memory... and exit status

from advisor.toolkit.synthetic import synthetic_profiles


def measure(source: Path, fmt: str, code: Path | None) -> tuple[float, int]:
    """Wall seconds and peak memory (KiB) of one `advisor evaluate` run."""
    environment = dict(os.environ)
    if code is not None:
        environment["PYTHONPATH"] = str(code)
    done = subprocess.run([sys.executable, "-c", BATCH_RUNNER, "evaluate", str(source), "--format", fmt,
                           "--as-of", "2026-01-01"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env=environment, cwd=source.parent, check=False)  # not here: `python -c` imports from here
    seconds, peak, *_, status = done.stderr.splitlines()[-1].split()
    if status != "0":
        raise SystemExit(f"advisor evaluate failed ({status}):\n{done.stderr[-2000:]}")
    return float(seconds), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--formats", default="text,json")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--code", type=Path, default=None, help="a folder holding the advisor package to measure")
    args = parser.parse_args()
    print("| profiles in the file | format | peak memory | time |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            source = Path(folder) / f"profiles-{size}.json"
            source.write_text(json.dumps(list(synthetic_profiles(size, seed=args.seed))))
            for fmt in args.formats.split(","):
                seconds, peak = measure(source, fmt, args.code)
                print(f"| {size:,} | {fmt} | {peak / 1024:,.0f} MB | {seconds:.1f} s |")
    print(f"\nSynthetic profiles (seed {args.seed}), one JSON file each; the report goes to the null device.")


if __name__ == "__main__":
    main()
