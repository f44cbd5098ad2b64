"""Write a synthetic (made-up) payroll for the pay-gap benchmark: CSV and Parquet.

Every value is random; nothing here describes a real employer. Files are named
``synthetic-DEMO-payroll-<rows>.csv`` / ``.parquet`` so nobody mistakes them for data.

The Parquet file keeps the four text columns (sex, full_pay, ethnicity, disability) as categories,
which Polars writes dictionary-encoded, as payroll and BI exports usually are; Polars reads them back
as categories. ``synthetic-DEMO-payroll-<rows>-strings.parquet`` has the same rows with those columns
as plain strings, for the slower path.

    .venv/bin/python benchmarks/paygap/generate.py --rows 10000000 --out benchmarks/paygap/data
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import polars as pl

SEX = ["M", "F", "Male", "Female", "female", "man", "woman", "Not recorded"]
SEX_WEIGHTS = [0.25, 0.25, 0.1, 0.1, 0.1, 0.09, 0.1, 0.01]
ETHNICITY = [
    "White British", "White Irish", "White Other", "Indian", "Pakistani", "Bangladeshi", "Chinese",
    "Black Caribbean", "Black African", "Mixed White and Black Caribbean", "Arab", "Any other ethnic group",
    "Prefer not to say", "",
]
ETHNICITY_WEIGHTS = [0.62, 0.01, 0.05, 0.06, 0.06, 0.02, 0.01, 0.03, 0.03, 0.02, 0.01, 0.01, 0.04, 0.03]
DISABILITY = ["No", "Yes", "Prefer not to say", ""]
DISABILITY_WEIGHTS = [0.8, 0.12, 0.05, 0.03]
HOURS = [37.5, 35.0, 30.0, 22.5, 16.0, 40.0]
PERIOD_DAYS = [30.44, 7.0, 14.0, 28.0]
TEXT_CATEGORIES = ("sex", "full_pay", "ethnicity", "disability")


def generate(rows: int, seed: int = 2020) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    # Pay points (whole pence on a scale) so that many employees share a rate: ties matter.
    hourly = np.round(np.exp(rng.normal(2.7, 0.35, rows)) * 4) / 4
    hours = rng.choice(HOURS, rows)
    days = rng.choice(PERIOD_DAYS, rows, p=[0.7, 0.1, 0.1, 0.1])
    ordinary = np.round(hourly * hours * days / 7, 2)
    bonus_paid = rng.random(rows) < 0.35
    bonus = np.where(bonus_paid, np.round(np.exp(rng.normal(6.5, 1.0, rows)), 2), 0.0)
    period_bonus = np.where(rng.random(rows) < 0.05, np.round(rng.uniform(10, 200, rows), 2), 0.0)
    return pl.DataFrame(
        {
            "employee_id": pl.int_range(0, rows, eager=True).cast(pl.String).str.zfill(9),
            "sex": pl.Series(rng.choice(SEX, rows, p=SEX_WEIGHTS)),
            "full_pay": pl.Series(np.where(rng.random(rows) < 0.97, "yes", "no")),
            "ordinary_pay": ordinary,
            "weekly_hours": hours,
            "pay_period_days": days,
            "period_bonus_pay": period_bonus,
            "bonus_pay": bonus,
            "ethnicity": pl.Series(rng.choice(ETHNICITY, rows, p=ETHNICITY_WEIGHTS)),
            "disability": pl.Series(rng.choice(DISABILITY, rows, p=DISABILITY_WEIGHTS)),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    frame = generate(args.rows, args.seed)
    stem = args.out / f"synthetic-DEMO-payroll-{args.rows}"
    frame.write_csv(stem.with_suffix(".csv"))
    frame.write_parquet(stem.with_name(f"{stem.name}-strings.parquet"))
    frame.with_columns(pl.col(*TEXT_CATEGORIES).cast(pl.Categorical)).write_parquet(stem.with_suffix(".parquet"))
    print(f"wrote {stem}.csv, {stem}.parquet (text as categories) and {stem}-strings.parquet ({args.rows:,} rows)")


if __name__ == "__main__":
    main()
