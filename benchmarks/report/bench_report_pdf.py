"""Time the full West Midlands progress report as a PDF (goal: under 10 seconds on a 2-core machine).

Run: ``RECOVERY_TRACKER_HOME=/tmp/report-bench .venv/bin/python benchmarks/report/bench_report_pdf.py``
It sets up a fresh database in that folder the first time (migrations, the shipped plan, statistics and
public evidence, exactly as ``recovery-tracker setup``), then builds and renders the report ``--runs``
times and prints wall-clock and CPU seconds for each stage. CPU time is reported as well as wall time
because a shared machine's load inflates wall time without the report getting any slower.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-at", default="2026-11-01")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    home = Path(os.environ.setdefault("RECOVERY_TRACKER_HOME", "/tmp/report-bench"))
    if not (home / "db.sqlite3").exists():
        from recovery_tracker.commands.site import setup

        setup()
    from recovery_tracker.web.bootstrap import django_setup

    django_setup()
    from recovery_tracker.catalogue.selectors import plan_default
    from recovery_tracker.reports.options import ReportOptions
    from recovery_tracker.reports.renderers import render_html, render_pdf
    from recovery_tracker.reports.selectors import report_build

    plan = plan_default()
    options = ReportOptions.build(format="pdf", as_at=dt.date.fromisoformat(args.as_at))
    rows: dict[str, list[tuple[float, float]]] = {"build": [], "html": [], "pdf": [], "total": []}
    pdf = b""
    for _ in range(args.runs):
        w0, c0 = time.perf_counter(), time.process_time()
        report = report_build(plan, options)
        w1, c1 = time.perf_counter(), time.process_time()
        render_html(report)
        w2, c2 = time.perf_counter(), time.process_time()
        pdf = render_pdf(report)
        w3, c3 = time.perf_counter(), time.process_time()
        rows["build"].append((w1 - w0, c1 - c0))
        rows["html"].append((w2 - w1, c2 - c1))
        rows["pdf"].append((w3 - w2, c3 - c2))  # includes rendering the HTML again, as the download does
        rows["total"].append((w3 - w2 + w1 - w0, c3 - c2 + c1 - c0))
    if args.out:
        Path(args.out).write_bytes(pdf)
    print(f"West Midlands report as at {options.as_at}: {len(report.recommendation_slugs)} recommendations, "
          f"{len(pdf):,} bytes of PDF, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'stage':<8}{'wall median s':>15}{'cpu median s':>15}")
    for stage, values in rows.items():
        print(f"{stage:<8}{statistics.median(v[0] for v in values):>15.2f}"
              f"{statistics.median(v[1] for v in values):>15.2f}")


if __name__ == "__main__":
    main()
