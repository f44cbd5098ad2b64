"""The Real Living Wage rate table and the rule for which rate is in force on a date.

Rates are data (``data/rates/real-living-wage.csv``, Living Wage Foundation), so a region can
update the table without touching code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["LivingWageRate", "RateInForce", "load_real_living_wage", "real_living_wage_in_force"]


@dataclass(frozen=True)
class LivingWageRate:
    year: int
    uk: Decimal
    london: Decimal
    announced: date
    implement_by: date
    implement_by_basis: str
    source: str

    def amount(self, *, london: bool) -> Decimal:
        return self.london if london else self.uk


@dataclass(frozen=True)
class RateInForce:
    rate: LivingWageRate
    amount: Decimal
    # A newer rate announced on or before the date but not yet due: worth a warning, not a failure.
    newer_announced: LivingWageRate | None


def _default_table_path() -> Path:
    return Path(str(resources.files("recovery_tracker") / "data" / "rates" / "real-living-wage.csv"))


@lru_cache(maxsize=8)
def load_real_living_wage(path: Path | None = None) -> tuple[LivingWageRate, ...]:
    """Read the rate table, oldest first. Raises ``ValueError`` naming the row on bad data."""
    path = path or _default_table_path()
    rates: list[LivingWageRate] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                rates.append(
                    LivingWageRate(
                        year=int(row["year"]),
                        uk=Decimal(row["uk_rate"]),
                        london=Decimal(row["london_rate"]),
                        announced=date.fromisoformat(row["announced"]),
                        implement_by=date.fromisoformat(row["implement_by"]),
                        implement_by_basis=row["implement_by_basis"],
                        source=row["source"],
                    )
                )
            except (KeyError, ValueError, ArithmeticError) as error:
                raise ValueError(f"{path}, row {row_number}: {error}") from error
    return tuple(sorted(rates, key=lambda rate: rate.implement_by))


def real_living_wage_in_force(on: date, *, london: bool = False, path: Path | None = None) -> RateInForce:
    """The Real Living Wage that accredited employers must pay on ``on``.

    Rule (Living Wage Foundation): accredited employers have six months from the announcement to
    pay a new rate, and from the 2023 rate until 1 May of the following year. A rate is therefore
    in force from its implement-by date (inclusive); before that the previous rate applies.
    """
    table = load_real_living_wage(path)
    in_force = [rate for rate in table if rate.implement_by <= on]
    if not in_force:
        raise ValueError(
            f"No Real Living Wage rate in the table is in force on {on.isoformat()}; "
            f"the earliest applies from {table[0].implement_by.isoformat()}."
        )
    current = in_force[-1]
    announced_later = [rate for rate in table if rate.implement_by > on and rate.announced <= on]
    return RateInForce(
        rate=current,
        amount=current.amount(london=london),
        newer_announced=announced_later[-1] if announced_later else None,
    )
