"""Public pages' throughput against the floor of a minimal Django response, same server, same run.

Starts `recovery-tracker serve` (2 gunicorn workers, the task worker beside them) on a data folder
that `setup` has filled, warms each page once (an anonymous reader's first visit fills the page
cache), then runs `wrk` (Debian package) against `/healthz` (the floor: Django with every
middleware, no page) and each public page, 10 connections, a few seconds each.

Goal (issue 14): every public page at least a third of the floor's requests per second, and its
p99 latency under five times the floor's.

    python benchmarks/pages/bench_pages.py [--home DIR] [--seconds 5] [--connections 10]

The machine is shared: keep runs short (the default takes about two minutes).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PAGES = [
    ("home", "/"),
    ("plan home", "/plans/west-midlands-2020/"),
    ("where more action is needed", "/plans/west-midlands-2020/more-action/"),
    ("WMCA organisation page", "/organisations/wmca/"),
    ("organisations", "/organisations/"),
    ("recommendations", "/plans/west-midlands-2020/recommendations/"),
    ("a recommendation", "/plans/west-midlands-2020/recommendations/3.1-f/"),
    ("a section", "/plans/west-midlands-2020/sections/3.1/"),
    ("indicators", "/indicators/"),
    ("report (HTML, prepared)", "/plans/west-midlands-2020/report.html"),
]
FLOOR = ("floor: minimal Django response", "/healthz")


def _cli(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "from recovery_tracker.cli import main; main()", *args],
                            env=env, **kwargs)  # type: ignore[call-overload]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(url) == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _wrk(url: str, seconds: int, connections: int) -> tuple[float, float, int]:
    done = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                          capture_output=True, text=True, check=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", done.stdout).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    return rps, p99, int(errors.group(1)) if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="data folder (default: a fresh one, set up first)")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--port", type=int, default=18_914)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    home = args.home or Path(tempfile.mkdtemp(prefix="recovery-tracker-bench-"))
    env = {**os.environ, "RECOVERY_TRACKER_HOME": str(home)}
    if not os.environ.get("BENCH_KEEP_DATABASE_URL"):  # the embedded default unless asked otherwise
        env.pop("DATABASE_URL", None)
    if not (home / "db.sqlite3").exists() and "DATABASE_URL" not in env:
        print(f"Setting up {home} ...", file=sys.stderr)
        if _cli("setup", env=env).wait() != 0:
            raise SystemExit("setup failed")
    base = f"http://127.0.0.1:{args.port}"
    server = _cli("serve", "--port", str(args.port), "--workers", "2", env=env,
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        _wait_ready(base + FLOOR[1])
        for _name, path in PAGES:  # warm: the first anonymous visit builds and stores each page
            for _ in range(60):
                if _get(base + path) == 200:
                    break
                time.sleep(2)  # a report is being prepared by the task worker
        # The machine is shared: each page is paired with a floor run just before it, so that both
        # see the same load, and each ratio is taken within its pair.
        for name, path in PAGES:
            floor_rps, floor_p99, _ = _wrk(base + FLOOR[1], args.seconds, args.connections)
            rps, p99, errors = _wrk(base + path, args.seconds, args.connections)
            rows.append((name, path, rps, p99, errors, floor_rps, floor_p99))
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"\n{args.connections} connections, 2 gunicorn workers, {args.seconds} s per run, wrk on loopback; "
          "floor = `/healthz` run just before each page\n")
    print("| page | path | requests/s | floor requests/s | share of floor (goal ≥ 0.33) | p99 ms | floor p99 ms "
          "| p99 / floor's (goal < 5) | non-2xx |")
    print("|---|---|---|---|---|---|---|---|---|")
    ok = True
    for name, path, rps, p99, errors, floor_rps, floor_p99 in rows:
        share, ratio = rps / floor_rps, p99 / floor_p99
        ok &= share >= 1 / 3 and ratio < 5 and errors == 0
        print(f"| {name} | `{path}` | {rps:.0f} | {floor_rps:.0f} | {share:.2f} | {p99:.1f} | {floor_p99:.1f} "
              f"| {ratio:.1f} | {errors} |")
    print("\nAll goals met." if ok else "\nSome goals NOT met.")

if __name__ == "__main__":
    main()
