"""Count the CPU instructions `advisor batch` spends per profile: a figure that noisy machines do not move.

    python benchmarks/bench_instructions.py [--profiles 1000] [--warmup 500] [--seed 7]

Wall time on a shared virtual machine varies by 10-15 % between runs (more when a neighbour is
busy), which hides most changes worth making. This script runs `advisor batch --jobs 1` under
valgrind's callgrind on `warmup` generated profiles, and on `warmup + profiles`, and prints the
difference divided by `profiles`: the instructions of reading, engine, advice and writing for one
profile, start-up and warm-up left out. Run it on two versions of the code to compare them: it
measures the advisor that `python -m advisor` imports where you run it, and with the hash seed
fixed the count is the same run after run. It is a count, not a time: C and Python code run at
very different instructions per cycle, so use it to compare versions, and bench_batch.py for speed.
Needs valgrind (`apt install valgrind`); takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from advisor.toolkit.synthetic import synthetic_profiles


def instructions(profiles: Path, output: Path) -> int:
    """Instructions callgrind counts for a whole `advisor batch --jobs 1` run."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-m",
                           "advisor", "batch", str(profiles), "--jobs", "1", "--output", str(output), "--quiet"],
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"})  # the same hashes, so the same dict probes
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"advisor batch failed under valgrind ({done.returncode}): {done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=1000, help="profiles counted")
    parser.add_argument("--warmup", type=int, default=500, help="profiles evaluated first, left out of the count")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt install valgrind (or your system's package)")
    with tempfile.TemporaryDirectory(prefix="advisor-instructions-") as tmp:
        folder = Path(tmp)
        lines = [json.dumps(data) for data in synthetic_profiles(args.warmup + args.profiles, seed=args.seed)]
        short, full = folder / "short.jsonl", folder / "full.jsonl"
        short.write_text("".join(line + "\n" for line in lines[:args.warmup]))
        full.write_text("".join(line + "\n" for line in lines))
        with ThreadPoolExecutor(2) as pool:  # the two runs side by side: counts do not depend on the load
            before, after = pool.map(instructions, (short, full), (folder / "a.jsonl", folder / "b.jsonl"))
    print(f"{(after - before) / args.profiles:,.0f} instructions per profile "
          f"({args.profiles:,} profiles after {args.warmup:,}, seed {args.seed}, advisor batch --jobs 1, JSON Lines)")


if __name__ == "__main__":
    main()
