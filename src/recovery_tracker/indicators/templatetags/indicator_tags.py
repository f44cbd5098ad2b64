from __future__ import annotations

from typing import Any

from django import template

from recovery_tracker.indicators.charts import number

register = template.Library()


@register.filter
def figure(value: Any, unit: str = "") -> str:
    """A figure with its unit: 215,000 homes, 4.5%."""
    if value is None or value == "":
        return "not available"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return number(float(value), unit or "")


@register.filter
def rate(value: Any, method: str) -> str:
    """The rate needed from now on: a growth rate for cagr (a share per year), a count per year for linear."""
    if value is None:
        return "not available"
    if method == "cagr":
        return f"{value * 100:.1f}% a year"
    return f"{value:,.0f} a year"
