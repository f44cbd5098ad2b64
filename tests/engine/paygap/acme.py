"""A made-up payroll that reproduces GOV.UK's Acme Ltd worked example ("Making your calculations").

The rows are invented; the totals, bands, tie and bonus figures are the guidance's. One deviation: the
guidance names women no. 1,550 and 1,551 as £13 and £15. With woman 1,551 in the lower middle band and
man no. 673 (£15) in the upper band, the whole upper middle band would sit on one rate and reg 13(2)
would rebalance it, so no single payroll can hold all the illustrative numbers literally. We use £13.10
and £14.90: the same women's median (£14) and the same gap (6.67%).
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl


def _rows(count: int, sex: str, hourly: str | None, full_pay: str = "yes") -> list[dict[str, object]]:
    return [{"sex": sex, "full_pay": full_pay, "hourly_pay": hourly} for _ in range(count)]


def _filled(count: int, each: str, total: str) -> list[str]:
    """``count`` values: ``count - 1`` of ``each`` and one making the sum exactly ``total``."""
    last = Decimal(total) - Decimal(each) * (count - 1)
    return [each] * (count - 1) + [str(last)]


def made_up_acme_payroll() -> pl.DataFrame:
    rows: list[dict[str, object]] = []
    # Lower band: 1,102 below the tie, then the 40-person tie at £10 (36 W, 4 M) straddling the edge.
    rows += _rows(186, "M", "9.00") + _rows(916, "F", "9.00")
    rows += _rows(4, "M", "10.00") + _rows(36, "F", "10.00")
    # Lower middle band (after the 30 from the tie).
    rows += _rows(107, "M", "12.00") + _rows(597, "F", "12.50") + _rows(1, "F", "13.10") + _rows(376, "F", "14.90")
    # Upper middle band.
    rows += _rows(298, "M", "14.95") + _rows(813, "F", "14.95")
    # Upper band: 78 men at £15 (man no. 673 is the last), the rest make the sums £23,550 and £46,900.
    rows += _rows(78, "M", "15.00")
    rows += [{"sex": "M", "full_pay": "yes", "hourly_pay": v} for v in _filled(672, "22.00", "14926.90")]
    rows += [{"sex": "F", "full_pay": "yes", "hourly_pay": v} for v in _filled(361, "36.00", "13063.65")]
    # Relevant but not full-pay (reduced pay for leave): 30 men and 25 women.
    rows += _rows(30, "M", None, "no") + _rows(25, "F", None, "no")
    men_bonus = ["500"] * 649 + ["2300", "2300"] + _filled(649, "2700", "1815900")
    women_bonus = ["500"] * 999 + ["2225", "2225"] + _filled(999, "2400", "2476050")
    men = [r for r in rows if r["sex"] == "M"]
    women = [r for r in rows if r["sex"] == "F"]
    assert len(men) == 1375 and len(women) == 3125
    for row, bonus in zip(men, men_bonus + ["0"] * (len(men) - len(men_bonus)), strict=True):
        row["bonus_pay"] = bonus
    for row, bonus in zip(women, women_bonus + ["0"] * (len(women) - len(women_bonus)), strict=True):
        row["bonus_pay"] = bonus
    for number, row in enumerate(rows, start=1):
        row["employee_id"] = f"ACME-MADEUP-{number:05d}"
    columns = ("employee_id", "sex", "full_pay", "hourly_pay", "bonus_pay")
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))
