"""Time the pay-gap report against the Polars read floor and the pandas baseline, whole command each.

In one run, on the same files, each command runs as its own process (interpreter start-up and
imports included), round-robin, ``--repeat`` times; the median wall time and the peak resident memory
(``os.wait4`` rusage of that child) are reported.

    .venv/bin/python benchmarks/paygap/run.py benchmarks/paygap/data/synthetic-DEMO-payroll-10000000.csv
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("recovery-tracker"))


def commands(path: Path, *, pandas: bool = True) -> dict[str, list[str]]:
    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    result = {
        "polars read (floor)": [PYTHON, "-c", f"import sys, polars as pl; pl.{reader}(sys.argv[1])", str(path)],
        "paygap --by all": [CLI, "paygap", str(path), "--snapshot-date", "2025-04-05", "--by", "all",
                            "-o", os.devnull],
    }
    if pandas and path.suffix == ".csv":
        # pandas reads Parquet only with pyarrow, which the project does not install.
        result["pandas baseline"] = [PYTHON, str(Path(__file__).with_name("pandas_baseline.py")), str(path)]
    return result


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (GB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024 / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pandas", action="store_true", help="skip the (slow) pandas baseline")
    args = parser.parse_args()
    for path in args.files:
        # Other work on the machine moves every figure; the load average says how much to trust them.
        load_before = os.getloadavg()
        todo = commands(path, pandas=not args.no_pandas)
        times: dict[str, list[float]] = {name: [] for name in todo}
        memory: dict[str, float] = dict.fromkeys(todo, 0.0)
        for _ in range(args.repeat):
            for name, command in todo.items():
                seconds, peak = run_once(command)
                times[name].append(seconds)
                memory[name] = max(memory[name], peak)
        median = {name: statistics.median(values) for name, values in times.items()}
        floor = median["polars read (floor)"]
        ours = median["paygap --by all"]
        load = ", ".join(f"{a:.1f}" for a in (*load_before[:1], *os.getloadavg()[:1]))
        print(f"\n{path.name} ({path.stat().st_size / 1e6:,.0f} MB), median of {args.repeat}, cores: {os.cpu_count()}, "
              f"load average (1 min) before, after: {load}")
        for name in todo:
            runs = ", ".join(f"{t:.2f}" for t in times[name])
            print(f"  {name:22} {median[name]:7.2f} s  (runs: {runs})  peak memory {memory[name]:.2f} GB")
        print(f"  full report / read floor: {ours / floor:.2f}x  (goal <= 1.5x)")
        if "pandas baseline" in median:
            print(f"  pandas / full report:     {median['pandas baseline'] / ours:.2f}x  (goal >= 3x)")
        print(f"  peak memory of the report: {memory['paygap --by all']:.2f} GB  (goal < 4 GB)")


if __name__ == "__main__":
    main()
