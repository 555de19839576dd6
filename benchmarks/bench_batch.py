"""Measure `advisor batch` end to end, beside its floors: parsing alone and the engines alone.

    python benchmarks/bench_batch.py [--sizes 1000,10000,100000] [--jobs 1,2] [--inputs yaml,jsonl]
                                     [--formats jsonl,jsonl-full,csv,table] [--seed 7]

For each size it writes seeded synthetic profiles (spanning the whole vocabulary) into a temporary
folder, once as one YAML file per profile and once as a single JSON Lines file, then measures:
- end to end, for each output format: `advisor batch INPUT --format F --output FILE --jobs N` in a
  fresh process (start-up, reading, parsing, validating, engine, advice, output, writing), wall time,
  and the peak memory (max RSS) of the main process and of the largest worker; `jsonl` is the compact
  result contract, `jsonl-full` the same with every text (`--full`);
- parsing alone: reading and validating every profile (the floor of any evaluator on that input);
- durable_rules alone: the engine's decisions for the same profiles, already parsed, in one process;
- plain Python alone: the same conditions evaluated without durable_rules, in one process.
Prints a Markdown table (the one in docs/batch.md) and the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from advisor.batch.reading import read_file, read_line
from advisor.contract.profile import Profile
from advisor.engines.durable import DurableEngine
from advisor.engines.python import PythonEngine
from advisor.engines.subjects import subjects_of
from advisor.rulebase.loader import load_rulebase
from advisor.toolkit.synthetic import synthetic_profiles

BATCH_RUNNER = """
import resource, sys, time
from advisor.cli.main import main
start = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - start
# VmHWM is this process's own peak; ru_maxrss would also count the benchmark's memory from before
# the fork that started it (Linux keeps it across execve), which grows with the number of profiles.
try:
    own = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
mine, theirs = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = mine.ru_utime + mine.ru_stime
cpu_workers = theirs.ru_utime + theirs.ru_stime
print(f"{seconds} {own} {workers} {cpu} {cpu_workers} {code}", file=sys.stderr)
"""


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU") \
        if Path("/proc/cpuinfo").exists() else platform.processor()
    return (f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def write_inputs(folder: Path, size: int, seed: int, with_yaml: bool) -> tuple[Path, Path]:
    yaml_dir = folder / "yaml"
    yaml_dir.mkdir()
    lines = folder / "profiles.jsonl"
    with lines.open("w") as jsonl:
        for i, data in enumerate(synthetic_profiles(size, seed=seed)):
            if with_yaml:
                sub = yaml_dir / f"{i // 1000:04d}"
                if i % 1000 == 0:
                    sub.mkdir()
                (sub / f"p{i:06d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
            jsonl.write(json.dumps(data) + "\n")
    return yaml_dir, lines


def _rss_mb(pid: int) -> float:
    """A process's resident memory now, in MB (0 once it has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


FORMATS = {"jsonl": ["--format", "jsonl"], "jsonl-full": ["--format", "jsonl", "--full"],
           "csv": ["--format", "csv"], "table": ["--format", "table"]}


def end_to_end(source: Path, jobs: int, output: Path, extra: list[str]) -> tuple[float, int, int, float, float, list]:
    """Wall seconds, peak memory (KiB) of the main process and of the largest worker, CPU seconds of each side,
    and the memory (MB) of the main process and of the largest worker sampled every 2 s during the run."""
    command = [sys.executable, "-c", BATCH_RUNNER, "batch", str(source), "--output", str(output), "--jobs",
               str(jobs), "--quiet", *extra]
    samples = []
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors, subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                                                  stderr=errors) as running:
        while True:
            try:
                running.wait(timeout=2)
                break
            except subprocess.TimeoutExpired:
                if Path("/proc").is_dir():
                    workers = [_rss_mb(c) for c in _children(running.pid)]
                    samples.append((_rss_mb(running.pid), max(workers, default=0.0)))
        errors.seek(0)
        stderr = errors.read()
    wall = time.perf_counter() - start
    seconds, own, workers, cpu, cpu_workers, code = stderr.strip().splitlines()[-1].split()
    if code not in ("0",):
        raise SystemExit(f"batch failed ({code}): {stderr[-2000:]}")
    output.unlink()
    return wall, int(own), int(workers), float(cpu), float(cpu_workers), samples


def _over_time(samples: list[tuple[float, float]]) -> str:
    """Memory at a quarter, half, three quarters and the end of a run, to show whether it stays flat."""
    if len(samples) < 4:
        return ""
    picks = [samples[len(samples) * k // 4 - 1] for k in (1, 2, 3, 4)]
    return " → ".join(f"{main:.0f} / {worker:.0f}" for main, worker in picks)


def parse_only(yaml_dir: Path, lines: Path) -> tuple[float, float, list[Profile]]:
    start = time.perf_counter()
    for path in sorted(yaml_dir.rglob("*.yaml")):
        read_file(str(path))
    yaml_seconds = time.perf_counter() - start
    start = time.perf_counter()
    profiles = []
    with lines.open() as stream:
        for number, text in enumerate(stream, 1):
            profiles += [p.profile for p in read_line(str(lines), number, text)]
    return yaml_seconds, time.perf_counter() - start, profiles


def engine_only(engine, profiles: list[Profile]) -> float:
    subjects = [subjects_of(p, p.as_of, engine.rulebase) for p in profiles]
    start = time.perf_counter()
    for s in subjects:
        engine.evaluate(s)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--inputs", default="yaml,jsonl", help="which inputs to measure: yaml, jsonl or both")
    parser.add_argument("--formats", default="jsonl,jsonl-full,csv,table", help=f"of {', '.join(FORMATS)}")
    parser.add_argument("--counterfactuals", action="store_true", help="measure batch with --counterfactuals")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]
    extra = ["--counterfactuals"] if args.counterfactuals else []
    formats = args.formats.split(",")
    rulebase = load_rulebase()
    durable, python = DurableEngine(rulebase), PythonEngine(rulebase)
    print(f"Machine: {machine()}.\n")
    print("| profiles | input | format | parsing alone | durable_rules alone | plain Python alone | "
          + " | ".join(f"batch, {j} job{'s' * (j > 1)}" for j in jobs_list)
          + " | batch ÷ durable alone | peak memory (main / worker) | CPU per profile (main + workers) |")
    print("|---:|---|---|---:|---:|---:|" + "---:|" * len(jobs_list) + "---:|---|---|")
    over_time: list[str] = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
            folder = Path(tmp)
            inputs = args.inputs.split(",")
            yaml_dir, lines = write_inputs(folder, size, args.seed, "yaml" in inputs)
            yaml_parse, jsonl_parse, profiles = parse_only(yaml_dir, lines)
            durable_rate = size / engine_only(durable, profiles)
            python_rate = size / engine_only(python, profiles)
            del profiles
            for label, source, parse in (("YAML folder", yaml_dir, yaml_parse), ("JSON Lines", lines, jsonl_parse)):
                if ("yaml" if source is yaml_dir else "jsonl") not in inputs:
                    continue
                for fmt in formats:
                    rates, memory, cpus = [], [], []
                    for jobs in jobs_list:
                        wall, own, workers, cpu, cpu_workers, samples = end_to_end(
                            source, jobs, folder / "out.report", FORMATS[fmt] + extra)
                        if _over_time(samples):
                            over_time.append(f"{size:,} profiles, {label}, {fmt}, {jobs} job{'s' * (jobs > 1)}: "
                                             f"{_over_time(samples)} MB")
                        rates.append(size / wall)
                        memory.append(f"{own / 1024:.0f} / {workers / 1024:.0f} MB ({jobs}j)")
                        cpus.append(f"{cpu / size * 1e3:.2f} + {cpu_workers / size * 1e3:.2f} ms ({jobs}j)")
                    ratio = rates[0] / durable_rate
                    print(f"| {size:,} | {label} | {fmt} | {size / parse:,.0f}/s | {durable_rate:,.0f}/s | "
                          f"{python_rate:,.0f}/s | " + " | ".join(f"{r:,.0f}/s" for r in rates)
                          + f" | {ratio:.2f} | {'; '.join(memory)} | " + "; ".join(cpus) + " |", flush=True)
    print("\nRates are profiles per second, end to end (wall time of a fresh `advisor batch` process, start-up "
          "included; jsonl: the compact result contract, jsonl-full: with every text"
          + (", with counterfactuals" if extra else ", without counterfactuals") + "). "
          "Parsing and engines alone: one process, profiles already in memory for the engines. "
          "batch ÷ durable alone compares the 1-job run with durable_rules alone. CPU per profile: user and system "
          "time of the main process, and of all worker processes together, divided by the number of profiles.")
    if over_time:
        print("\nMemory during the runs (resident, main process / largest worker), at a quarter, half, three "
              "quarters and the end:\n")
        print("\n".join(f"- {line}" for line in over_time))


if __name__ == "__main__":
    main()
