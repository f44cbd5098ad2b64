"""A straightforward pandas implementation of the full pay-gap report: the benchmark's baseline.

Reads the CSV, checks it (duplicate ids, negative pay, zero hours), derives hourly pay, and computes
the six figures by sex, ethnicity (broad groups against White British) and disability, plus low pay.
It is what a careful analyst would write in an afternoon; quarter bands are cut by position (no tie
balancing), so it does a little less work than the engine.

    .venv/bin/python benchmarks/paygap/pandas_baseline.py FILE.csv
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

SEX = {"m": "male", "male": "male", "man": "male", "f": "female", "female": "female", "woman": "female"}
NO = {"no", "n", "false", "f", "0"}


def broad(value: str) -> str:
    text = str(value).lower()
    if text in ("", "nan", "prefer not to say", "unknown"):
        return "Not disclosed"
    if text == "white british":
        return "White British"
    for words, group in ((("mixed",), "Mixed"), (("black", "african", "caribbean"), "Black"),
                         (("asian", "indian", "pakistani", "bangladeshi", "chinese"), "Asian"),
                         (("white", "irish"), "White other")):
        if any(w in text for w in words):
            return group
    return "Other"


def six_figures(df: pd.DataFrame, column: str, reference: str, comparison: str) -> dict[str, float]:
    fpre = df[df["fpre"]]
    a, b = fpre[fpre[column] == reference]["hourly"], fpre[fpre[column] == comparison]["hourly"]
    bonus = df[df["bonus_pay"] > 0]
    ba, bb = bonus[bonus[column] == reference]["bonus_pay"], bonus[bonus[column] == comparison]["bonus_pay"]
    result = {
        "mean_gap": (a.mean() - b.mean()) / a.mean() * 100,
        "median_gap": (a.median() - b.median()) / a.median() * 100,
        "mean_bonus_gap": (ba.mean() - bb.mean()) / ba.mean() * 100 if len(ba) else float("nan"),
        "median_bonus_gap": (ba.median() - bb.median()) / ba.median() * 100 if len(ba) else float("nan"),
        "reference_bonus": len(ba) / (df[column] == reference).sum() * 100,
        "comparison_bonus": len(bb) / (df[column] == comparison).sum() * 100,
    }
    return result


def quartiles(df: pd.DataFrame, column: str) -> dict[str, dict[str, float]]:
    ranked = df[df["fpre"]].sort_values("hourly", kind="stable")
    n = len(ranked)
    q, r = divmod(n, 4)
    sizes = [q + (r >= 1), q + (r >= 3), q + (r >= 2), q]
    band = np.repeat(np.arange(4), sizes)
    table = pd.crosstab(band, ranked[column].to_numpy(), normalize="index") * 100
    return {str(k): v for k, v in table.to_dict().items()}


def main(path: str) -> None:
    text_columns = ("employee_id", "sex", "full_pay", "ethnicity", "disability")
    df = pd.read_csv(path, dtype=dict.fromkeys(text_columns, str), keep_default_na=False,
                     na_values={"ordinary_pay": [""], "bonus_pay": [""]})
    if df["employee_id"].duplicated().any():
        raise SystemExit("duplicate employee_id")
    for column in ("ordinary_pay", "period_bonus_pay", "bonus_pay"):
        if (df[column] < 0).any():
            raise SystemExit(f"negative {column}")
    if (df["weekly_hours"] <= 0).any() or (df["pay_period_days"] <= 0).any():
        raise SystemExit("zero hours or days")
    df["sex"] = df["sex"].str.strip().str.lower().map(SEX)
    df["fpre"] = ~df["full_pay"].str.strip().str.lower().isin(NO)
    pay = df["ordinary_pay"] + df["period_bonus_pay"].fillna(0)
    df["hourly"] = pay * 7 / df["pay_period_days"] / df["weekly_hours"]
    uniques = {v: broad(v) for v in df["ethnicity"].unique()}
    df["ethnicity_broad"] = df["ethnicity"].map(uniques)
    disability = {"yes": "Disabled", "no": "Non-disabled"}
    df["disability_group"] = df["disability"].str.strip().str.lower().map(disability).fillna("Not disclosed")
    report = {
        "sex": six_figures(df[df["sex"].notna()], "sex", "male", "female"),
        "sex_quartiles": quartiles(df[df["sex"].notna()], "sex"),
        "ethnicity": {g: six_figures(df, "ethnicity_broad", "White British", g)
                      for g in sorted(set(uniques.values()) - {"White British", "Not disclosed"})},
        "ethnicity_quartiles": quartiles(df, "ethnicity_broad"),
        "disability": six_figures(df, "disability_group", "Non-disabled", "Disabled"),
        "disability_quartiles": quartiles(df, "disability_group"),
        "low_pay": float((df.loc[df["fpre"], "hourly"] < 12.0).mean() * 100),
    }
    json.dump(report, sys.stdout, default=float)


if __name__ == "__main__":
    main(sys.argv[1])
