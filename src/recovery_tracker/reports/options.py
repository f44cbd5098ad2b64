"""What a report is asked for: plan, format, as-at and since dates, checked with messages a user can act on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FORMATS: dict[str, str] = {"html": "Web page (HTML)", "pdf": "PDF", "md": "Markdown (for a blog post)"}
CONTENT_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}


class ReportOptionError(ValueError):
    """A bad option: the message says which one and how to fix it."""


def parse_date(value: str | None, name: str) -> dt.date | None:
    if value is None or not str(value).strip():
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReportOptionError(
            f"{name} must be a date written YYYY-MM-DD, for example 2024-03-31; got {value!r}."
        ) from None


@dataclass(frozen=True)
class ReportOptions:
    format: str
    as_at: dt.date
    since: dt.date

    @classmethod
    def build(cls, *, format: str, as_at: dt.date | None = None, since: dt.date | None = None,
              today: dt.date | None = None, published: dt.date | None = None) -> ReportOptions:
        if format not in FORMATS:
            raise ReportOptionError(f"format must be one of {', '.join(FORMATS)}; got {format!r}.")
        as_at = as_at or today or dt.date.today()
        as_at_check(as_at, published)
        # With no --since, the "what changed" chapter covers the year to the as-at date: we keep no
        # register of earlier reports, and a year matches the staleness rule for evidence.
        since = since or _one_year_before(as_at)
        if since >= as_at:
            raise ReportOptionError(f"since ({since}) must be before the as-at date ({as_at}).")
        return cls(format=format, as_at=as_at, since=since)


def as_at_check(as_at: dt.date, published: dt.date | None) -> None:
    """Rule: "an as-at date before the plan's publication is refused": nothing can be reported about a
    plan before it existed."""
    if published is not None and as_at < published:
        raise ReportOptionError(
            f"as_at ({as_at}) is before the plan was published ({published}): there is nothing to report "
            f"before then. Choose {published} or a later date.")


def _one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
