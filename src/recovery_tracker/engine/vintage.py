"""When a published figure became known (its vintage), for "as at" views that cannot see the future.

Every observation records the day it was published. Where the source text states a date ("WMCA
release 12 Jan 2024", "Latest update 25-Nov-2021", "(Dec 2022)") that is the release date (a month
alone counts as its last day). Where the source states none, a conservative rule applies:
``RULE_TEXT``. No Django here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["RULE_MONTHS", "RULE_TEXT", "Vintage", "period_end", "release_date_from_source", "vintage_for"]

# Official annual statistics are usually published within a year of the period's end; a figure with
# no stated release date is treated as unknown until a full year after its period ends.
RULE_MONTHS = 12
RULE_TEXT = (
    "Where the source gives no release date, a figure counts as published 12 months after the end of the "
    "period it describes (a financial or academic year such as 2022/23 ends on 31 July 2023, a calendar "
    "year on 31 December, a month or quarter on its last day), so an as-at view never uses a figure before "
    "it could have been known."
)

_MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"


@dataclass(frozen=True)
class Vintage:
    """The day a figure became known, and how that day was found."""

    release_date: dt.date
    basis: str


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def release_date_from_source(text: str) -> tuple[dt.date, str] | None:
    """The latest date the source text states, with how precise it was; None when it gives none.

    "release 12 Jan 2024" → 12 January 2024 (day); "(Dec 2022)" → 31 December 2022 (month end);
    "'Latest update 25-Nov-2021'" → 25 November 2021. The latest date wins: a source quoting an
    older document was published no earlier than its own date.
    """
    found: list[tuple[dt.date, str]] = []
    full = re.compile(rf"\b(\d{{1,2}})[\s-]{_MONTH}[\s-](\d{{4}})\b", re.IGNORECASE)
    for day, month, year in full.findall(text):
        try:
            found.append((dt.date(int(year), _MONTHS[month[:3].lower()], int(day)), "day"))
        except ValueError:
            continue
    numeric = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")
    for day, month, year in numeric.findall(text):
        try:
            found.append((dt.date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day)), "day"))
        except ValueError:
            continue
    # Month and year alone, once the full dates are taken out.
    rest = numeric.sub(" ", full.sub(" ", text))
    for month, year in re.findall(rf"\b{_MONTH}\s(\d{{4}})\b", rest, re.IGNORECASE):
        found.append((_month_end(int(year), _MONTHS[month[:3].lower()]), "month"))
    if not found:
        return None
    return max(found)


def period_end(period: str, year: int | None) -> dt.date | None:
    """The last day of the period a figure describes, read from its label as published."""
    text = period.strip()
    match = re.search(r"\b((?:19|20)\d\d)\s*[/-]\s*(\d\d)\b", text)
    if match:
        # Financial (to March) or academic (to July) year: the later end is the safe one.
        return dt.date(int(match.group(1)) + 1, 7, 31)
    months = re.findall(rf"{_MONTH}", text, re.IGNORECASE)
    year_match = re.findall(r"\b((?:19|20)\d\d)\b", text)
    day_month = re.search(rf"\b(\d{{1,2}})\s{_MONTH}\s((?:19|20)\d\d)\b", text, re.IGNORECASE)
    if day_month:
        return dt.date(int(day_month.group(3)), _MONTHS[day_month.group(2)[:3].lower()], int(day_month.group(1)))
    if months and year_match:
        return _month_end(int(year_match[-1]), _MONTHS[months[-1][:3].lower()])
    if year_match:
        return dt.date(int(year_match[-1]), 12, 31)
    if year is not None:
        return dt.date(year, 12, 31)
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def vintage_for(*, source: str, period: str, year: int | None, given: dt.date | None = None) -> Vintage | None:
    """The release date of a figure: as given in the file, else as stated by its source, else by the
    rule (``RULE_TEXT``). None only when neither the source nor the period gives any date."""
    if given is not None:
        return Vintage(given, "release date given in the statistics file")
    stated = release_date_from_source(source)
    end = period_end(period, year)
    if stated is not None:
        basis = "release date stated by the source" if stated[1] == "day" else (
            "month stated by the source (counted from its last day)")
        return Vintage(stated[0], basis)
    if end is not None:
        return Vintage(_add_months(end, RULE_MONTHS),
                       f"no release date in the source: counted from {RULE_MONTHS} months after the period ends")
    return None
