"""How every page, document and command writes dates and numbers: one module, so "5 March 2024"
reads the same everywhere (never "05 March"), and a figure has the same digits on the site, in the
report and on the command line. Pure Python; Django templates use the same forms (``date:"j F Y"``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

Number = int | float | Decimal | Fraction


def day(value: dt.date | None) -> str:
    """``5 March 2024``: the day without a leading zero, the month in full. Empty for no date."""
    return f"{value.day} {value:%B %Y}" if value else ""


def month(value: dt.date | None) -> str:
    """``March 2024``, for dates known only to the month."""
    return f"{value:%B %Y}" if value else ""


def number(value: Number | None, unit: str = "", *, missing: str = "") -> str:
    """A figure as read: whole numbers and anything from 100 up without decimals (``12,345``), smaller
    ones to at most two places (``3.5``); ``%`` or ``percent`` as a sign (``3.5%``), other units after
    a space (``120 homes``). ``missing`` stands for no value."""
    if value is None:
        return missing
    as_float = float(value)
    if abs(as_float) >= 100 or as_float.is_integer():
        text = f"{as_float:,.0f}"
    else:
        text = f"{as_float:,.2f}".rstrip("0").rstrip(".")
    if unit.strip() in ("%", "percent"):
        return f"{text}%"
    return f"{text} {unit}".strip()


def money(value: Number | None, *, missing: str = "") -> str:
    """Pounds: ``£1,234`` for whole pounds, ``£12.50`` otherwise."""
    if value is None:
        return missing
    as_float = float(value)
    return f"£{as_float:,.0f}" if as_float.is_integer() else f"£{as_float:,.2f}"


def percent(share: Number | None, *, places: int = 0, missing: str = "") -> str:
    """A share (0.25) as a percentage (``25%``), rounded to ``places``."""
    if share is None:
        return missing
    value = round(float(share) * 100, places)
    return f"{value:.{places}f}%"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 recommendation``, ``3 recommendations``, ``1,204 rows``."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"
