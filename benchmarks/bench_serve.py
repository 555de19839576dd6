"""Measure `advisor serve` under load on the loopback: the evaluate API and the question pages.

    python benchmarks/bench_serve.py [--requests 2000] [--concurrency 8] [--seconds 120]

Starts `advisor serve --port 0 --rate-limit 0` in a subprocess (a sessions folder of its own), then, for each
kind of request, `--concurrency` client threads send requests until `--requests` are answered or `--seconds`
have passed, whichever comes first, and stops the server at the end. Prints a Markdown table (the one in
docs/serve.md): requests per second and latency percentiles. The clients run on the same machine as the server
and take some of its cores; numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from advisor.io.documents import parse_yaml

PROFILE = Path(__file__).resolve().parent.parent / "profiles" / "laura-3-network-coordinator.yaml"
STARTED = re.compile(r"advisor is serving on (http://\S+?)/(?:\s|$)")


@dataclass
class Run:
    """What one kind of request measured: each answer's seconds, and the answers that were not the expected one."""

    name: str
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    """`advisor serve` on a free loopback port, and the address it printed."""
    errors = (folder / "server-stderr.txt").open("w")
    server = subprocess.Popen([sys.executable, "-m", "advisor", "serve", "--port", "0", "--rate-limit", "0",
                               "--sessions-dir", str(folder / "sessions")],
                              stdout=subprocess.PIPE, stderr=errors, text=True)
    line = server.stdout.readline()
    found = STARTED.search(line)
    if not found:
        stop_server(server)
        sys.exit(f"advisor serve did not start: {line}{(folder / 'server-stderr.txt').read_text()}")
    return server, found.group(1)


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()  # uvicorn stops gracefully on SIGTERM
    try:
        server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()


def question_page(client: httpx.Client) -> str:
    """A questionnaire started and answered part of the way: the address of the question it now asks."""
    home = client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', home.text).group(1)
    ask = client.post("/start", data={"csrf": token}).headers["location"]
    for answer in ({"action": "answer", "answer": "A researcher"}, {"action": "unknown"}, {"action": "unknown"}):
        step = re.search(r'name="step" value="([^"]+)"', client.get(ask).text).group(1)
        client.post(ask, data={"csrf": token, "step": step, **answer})
    return ask


def load(base: str, name: str, request, args: argparse.Namespace) -> Run:
    """`args.concurrency` threads sending `request(client)` until `args.requests` are answered or the time is up."""
    run = Run(name)
    remaining = [args.requests]
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def worker(client: httpx.Client) -> None:
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            began = time.perf_counter()
            try:
                answer = request(client)
                took = time.perf_counter() - began
                failed = None if answer.status_code == 200 else f"status {answer.status_code}"
            except httpx.HTTPError as error:
                took, failed = time.perf_counter() - began, type(error).__name__
            with lock:
                run.latencies.append(took)
                if failed:
                    run.failures.append(failed)

    clients = [httpx.Client(base_url=base, timeout=60) for _ in range(args.concurrency)]
    for client in clients:  # a connection each, and the server's first answers, before the clock starts
        for _ in range(args.warmup):
            request(client)
    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - began
    for client in clients:
        client.close()
    return run


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (`share` from 0 to 1) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests of each kind (default 2000)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads sending at once (default 8)")
    parser.add_argument("--seconds", type=float, default=120, help="at most this long for each kind (default 120)")
    parser.add_argument("--warmup", type=int, default=3, help="requests each client sends before measuring")
    args = parser.parse_args()
    if args.requests < 1 or args.concurrency < 1 or args.seconds <= 0:
        parser.error("--requests, --concurrency and --seconds are positive")

    data = parse_yaml(PROFILE.read_text(), str(PROFILE)).data
    body = json.dumps(data, default=dt.date.isoformat)
    headers = {"content-type": "application/json"}
    with tempfile.TemporaryDirectory() as root:
        server, base = start_server(Path(root))
        try:
            with httpx.Client(base_url=base, timeout=60) as setup:
                ask = question_page(setup)
                advice = setup.post("/api/v1/evaluate", content=body, headers=headers)
                page = setup.get(ask)
                assert advice.status_code == 200 and page.status_code == 200, (advice.text[:500], page.text[:500])
            runs = [
                load(base, f"`POST /api/v1/evaluate` ({PROFILE.stem}: {len(body):,} bytes in, "
                           f"{len(advice.content) / 1024:,.0f} KiB out)",
                     lambda c: c.post("/api/v1/evaluate", content=body, headers=headers), args),
                load(base, "`GET /sessions/NAME/ask` (a question page, 3 answers given: "
                           f"{len(page.content) / 1024:,.0f} KiB out)",
                     lambda c: c.get(ask), args),
            ]
        finally:
            stop_server(server)
            errors = (Path(root) / "server-stderr.txt").read_text()
    if "Traceback" in errors:
        sys.exit(f"advisor serve failed:\n{errors}")

    print("| request | requests | requests/s | p50 | p90 | p99 | max | failed |\n|---|---|---|---|---|---|---|---|")
    for run in runs:
        ms = [t * 1000 for t in run.latencies]
        print(f"| {run.name} | {len(ms):,} | {len(ms) / run.seconds:,.0f} | {percentile(ms, .5):.1f} ms | "
              f"{percentile(ms, .9):.1f} ms | {percentile(ms, .99):.1f} ms | {max(ms):.1f} ms | {len(run.failures)} |")
    threads = f"{args.concurrency} client thread{'s' if args.concurrency != 1 else ''}"
    print(f"\n{threads} on the same machine (Python {platform.python_version()}, {os.cpu_count()} cores), "
          f"`advisor serve --rate-limit 0` on the loopback; at most {args.requests:,} requests of each kind or "
          f"{args.seconds:g} s.")
    if any(run.failures for run in runs):
        sys.exit("some requests failed: " + "; ".join(sorted({f for run in runs for f in run.failures})))


if __name__ == "__main__":
    main()
