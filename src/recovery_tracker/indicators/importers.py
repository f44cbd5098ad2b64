"""Reading statistics files and indicator metadata into plain rows, with every problem named.

Two CSV layouts are read:

* the Open SDG layout (``Year``, optional disaggregation columns, optional ``GeoCode``, ``Value``;
  a blank disaggregation cell means "all"), one file per indicator with its metadata YAML;
* the long layout of the shipped baseline statistics (``indicator, geography_code,
  geography_name, period, value, unit, source, source_url``), many indicators per file.

Nothing here touches the database: the service checks the rows against what is stored and
writes them, all or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from recovery_tracker.engine.problems import Problem
from recovery_tracker.engine.tables import Table, TableUnreadable, table_parse

__all__ = [
    "LONG_COLUMNS",
    "IndicatorMeta",
    "ObservationRow",
    "csv_kind",
    "disaggregation_key",
    "indicator_slug",
    "metadata_parse",
    "metadata_read",
    "period_parse",
    "rows_read",
]

LONG_COLUMNS = ("indicator", "geography_code", "geography_name", "period", "value", "unit", "source", "source_url")
LONG_OPTIONAL = ("release_date", "notes")
OPEN_SDG_SPECIAL = ("Year", "GeoCode", "Value")
# Observation attributes sdg-build adds; read as notes, not as disaggregations.
OPEN_SDG_ATTRIBUTES = ("COMMENT_OBS", "SOURCE_DETAIL", "Progress")
# ONS GSS codes: a letter for the nation and eight digits (E12000005, E47000007, E08000025).
GEOCODE = re.compile(r"^[EKNSW]\d{8}$")
# "(R)" is how publishers mark a revised figure; the shipped files also say "(later figure)".
REVISION_MARK = re.compile(r"\s*\((R|r|revised|later figure)\)\s*$")
YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
OPEN_SDG_YEAR = re.compile(r"^(19|20)\d\d([/-]\d{2}(\d{2})?)?$")
DIRECTIONS = ("increase", "decrease")
METHODS = ("cagr", "linear")


@dataclass
class IndicatorMeta:
    slug: str
    name: str
    unit: str
    direction: str
    method: str = "cagr"
    direction_note: str = ""
    definition: str = ""
    source: str = ""
    source_url: str = ""
    geography_level: str = ""
    headline_geography: str = ""
    caveat: str = ""
    source_key: str = ""
    # Defaults for rows of an Open SDG file, which carry no source or area name of their own.
    geography_name: str = ""
    release_date: dt.date | None = None
    plan_facts: list[str] = field(default_factory=list)
    target: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def model_fields(self) -> dict[str, Any]:
        return {
            "name": self.name, "unit": self.unit, "direction": self.direction, "method": self.method,
            "direction_note": self.direction_note, "definition": self.definition, "source": self.source,
            "source_url": self.source_url, "geography_level": self.geography_level,
            "headline_geography": self.headline_geography, "caveat": self.caveat, "source_key": self.source_key,
            "metadata": {"plan_facts": self.plan_facts, "target": self.target, **self.extra},
        }


@dataclass
class ObservationRow:
    indicator: str  # the indicator's slug or its name in a long-format file
    period: str
    period_as_published: str
    year: int | None
    geography_code: str
    geography_name: str
    value: float
    unit: str
    source: str
    source_url: str
    file: str
    row: int
    disaggregations: dict[str, str] = field(default_factory=dict)
    release_date: dt.date | None = None
    notes: str = ""
    revised: bool = False

    @property
    def geography_key(self) -> str:
        return self.geography_code or self.geography_name

    @property
    def disaggregation_key(self) -> str:
        return disaggregation_key(self.disaggregations)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.indicator, self.geography_key, self.disaggregation_key, self.period)


def indicator_slug(name: str) -> str:
    """``net_additional_homes`` → ``net-additional-homes``: the shipped names as URL slugs."""
    return re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")


def disaggregation_key(disaggregations: dict[str, str]) -> str:
    cleaned = {k: v for k, v in disaggregations.items() if v}
    return json.dumps(cleaned, sort_keys=True, ensure_ascii=False) if cleaned else ""


def period_parse(text: str) -> tuple[str, int | None, bool]:
    """Split a published period into (period, calculation year, revised?).

    "2019/20 (R)" → ("2019/20", 2019, True); "Apr 2019" → ("Apr 2019", 2019, False);
    "per year" → ("per year", None, False). The calculation year is the first year named, as
    Open SDG cuts "2015-16" to 2015 (reference §3.1).
    """
    period = text.strip()
    revised = False
    if match := REVISION_MARK.search(period):
        revised = True
        period = period[: match.start()].strip()
    year_match = YEAR.search(period)
    return period, (int(year_match.group(0)) if year_match else None), revised


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def csv_kind(header: list[str]) -> str | None:
    """"long", "opensdg" or None, from the header row."""
    names = [h.strip() for h in header]
    if all(column in names for column in ("indicator", "period", "value")):
        return "long"
    if names and names[0] == "Year" and names[-1] == "Value":
        return "opensdg"
    return None


def rows_read(
    data: bytes, *, name: str, metadata: dict[str, IndicatorMeta] | None = None, indicator: str | None = None
) -> tuple[list[ObservationRow], list[Problem]]:
    """Read one CSV (either layout) into rows, collecting every problem rather than stopping.

    An Open SDG file needs its indicator: ``indicator`` if given, else the file name without
    ``.csv`` (Open SDG names files by indicator); its source and area come from the metadata.
    """
    problems: list[Problem] = []
    try:
        table = table_parse(data, name=name, suffix=".csv", column_name=str.strip)
    except TableUnreadable as unreadable:
        return [], unreadable.problems
    kind = csv_kind(table.header)
    if kind == "long":
        rows = _long_rows(table, name, problems)
    elif kind == "opensdg":
        slug = indicator or indicator_slug(Path(name).stem.removeprefix("indicator_"))
        meta = (metadata or {}).get(slug)
        rows = _open_sdg_rows(table, name, slug, meta, problems)
    else:
        return [], [Problem(
            file=name, message="the columns are not recognised: use the Open SDG layout (Year, …, GeoCode, Value) "
            "or the long layout (" + ", ".join(LONG_COLUMNS) + ")", row=1,
        )]
    _duplicates_check(rows, problems)
    return rows, problems


def _geography_check(code: str, name: str, file: str, row: int, column: str, problems: list[Problem]) -> None:
    if code and not GEOCODE.match(code):
        problems.append(Problem(
            file=file, message=f"{code!r} is not an ONS geography code (like E12000005 or E47000007); "
            "leave it blank for an area without a code and name the area", row=row, column=column,
        ))


def _data_rows(table: Table, name: str, problems: list[Problem]) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Each data row with its row number (the header is row 1), a row with the wrong number of cells
    named as a problem and skipped."""
    width = len(table.header)
    for row in table.rows:
        if len(row.cells) != width:
            problems.append(Problem(file=name, message=f"has {len(row.cells)} cells; the header has {width}",
                                    row=row.number))
            continue
        yield row.number, row.cells


def _long_rows(table: Table, name: str, problems: list[Problem]) -> list[ObservationRow]:
    columns = table.columns
    missing = [c for c in LONG_COLUMNS if c not in columns]
    if missing:
        problems.append(Problem(file=name, message="missing column(s): " + ", ".join(missing), row=1))
        return []
    unknown = [c for c in columns if c not in LONG_COLUMNS + LONG_OPTIONAL]
    if unknown:
        problems.append(Problem(file=name, message="unknown column(s): " + ", ".join(unknown), row=1))
    rows: list[ObservationRow] = []
    for number, cells in _data_rows(table, name, problems):
        record = {column: cell.strip() for column, cell in zip(columns, cells, strict=True)}
        before = len(problems)
        for column in ("indicator", "period", "value", "source"):
            if not record[column]:
                problems.append(Problem(file=name, message=f"{column} is empty; every figure needs one", row=number,
                                        column=column))
        value = _number(record["value"]) if record["value"] else None
        if record["value"] and value is None:
            problems.append(Problem(file=name, message=f"{record['value']!r} is not a number", row=number,
                                    column="value"))
        if not record["geography_code"] and not record["geography_name"]:
            problems.append(Problem(
                file=name, message="name the area: give an ONS code or, for an area without one, its name",
                row=number, column="geography_name",
            ))
        _geography_check(record["geography_code"], record["geography_name"], name, number, "geography_code",
                         problems)
        release = None
        if record.get("release_date"):
            release = _date(record["release_date"])
            if release is None:
                problems.append(Problem(file=name, message=f"{record['release_date']!r} is not a date like 2021-11-25",
                                        row=number, column="release_date"))
        if len(problems) > before:
            continue
        period, year, revised = period_parse(record["period"])
        notes = record.get("notes", "")
        if revised:
            notes = "; ".join(filter(None, [notes, f"revised figure (published as {record['period']!r})"]))
        rows.append(ObservationRow(
            indicator=record["indicator"], period=period, period_as_published=record["period"], year=year,
            geography_code=record["geography_code"], geography_name=record["geography_name"],
            value=value, unit=record["unit"], source=record["source"], source_url=record["source_url"],  # type: ignore[arg-type]
            file=name, row=number, release_date=release, notes=notes, revised=revised,
        ))
    return rows


def _open_sdg_rows(
    table: Table, name: str, slug: str, meta: IndicatorMeta | None, problems: list[Problem]
) -> list[ObservationRow]:
    columns = table.header
    stripped = [c.strip() for c in columns]
    # Open SDG: "No trailing whitespace" in headers or values (reference §10).
    for column in columns:
        if column != column.strip():
            problems.append(Problem(file=name, message=f"header {column!r} has spaces around it; remove them", row=1))
    if "GeoCode" in stripped and stripped.index("GeoCode") != len(stripped) - 2:
        problems.append(Problem(file=name, message="GeoCode must be the column just before Value", row=1,
                                column="GeoCode"))
    if len(set(stripped)) != len(stripped):
        problems.append(Problem(file=name, message="a column name appears twice", row=1))
    if meta is None:
        problems.append(Problem(
            file=name, message=f"no metadata for indicator {slug!r}: give a metadata YAML (name, unit, direction, "
            "source) "
            "with --metadata, or import the indicator's metadata first",
        ))
    dimensions = [c for c in stripped if c not in OPEN_SDG_SPECIAL + OPEN_SDG_ATTRIBUTES]
    rows: list[ObservationRow] = []
    for number, cells in _data_rows(table, name, problems):
        record = dict(zip(stripped, cells, strict=True))
        before = len(problems)
        for column, cell in record.items():
            if cell != cell.strip():
                problems.append(Problem(file=name, message="has spaces at the start or end; remove them", row=number,
                                        column=column))
        year_text = record["Year"].strip()
        if not OPEN_SDG_YEAR.match(year_text):
            problems.append(Problem(file=name, message=f"{year_text!r} is not a year: use 2019, 2019/20 or 2015-16",
                                    row=number, column="Year"))
        value_text = record["Value"].strip()
        if not value_text:
            continue  # Open SDG: a blank Value is a missing figure, not an error.
        value = _number(value_text)
        if value is None:
            problems.append(Problem(file=name, message=f"{value_text!r} is not a number", row=number, column="Value"))
        code = record.get("GeoCode", "").strip()
        _geography_check(code, "", name, number, "GeoCode", problems)
        if len(problems) > before or meta is None:
            continue
        period, year, revised = period_parse(year_text)
        notes = record.get("COMMENT_OBS", "").strip()
        rows.append(ObservationRow(
            indicator=slug, period=period, period_as_published=year_text, year=year, geography_code=code,
            geography_name="" if code else (meta.geography_name or meta.headline_geography),
            value=value, unit=meta.unit, source=record.get("SOURCE_DETAIL", "").strip() or meta.source,  # type: ignore[arg-type]
            source_url=meta.source_url, file=name, row=number,
            disaggregations={d: record[d].strip() for d in dimensions if record[d].strip()},
            release_date=meta.release_date, notes=notes, revised=revised,
        ))
        if not rows[-1].source:
            problems.append(Problem(file=name, message="no source: add `source` to the indicator's metadata",
                                    row=number))
        if not rows[-1].geography_key:
            problems.append(Problem(
                file=name, message="no area: give a GeoCode or add `geography_name` to the metadata", row=number,
                column="GeoCode",
            ))
    return rows


def _duplicates_check(rows: list[ObservationRow], problems: list[Problem]) -> None:
    """The same figure twice in one file is an error unless the later one is marked as a revision."""
    first: dict[tuple[str, str, str, str], ObservationRow] = {}
    for row in rows:
        earlier = first.get(row.key)
        if earlier is not None and not row.revised:
            problems.append(Problem(
                file=row.file, message=f"repeats row {earlier.row} (same indicator, area, breakdown and period "
                f"{row.period!r}); "
                "remove one, or mark the later figure as revised with (R)", row=row.row,
            ))
        first[row.key] = row


# --- metadata ------------------------------------------------------------------------------------

_META_FIELDS = {
    "name", "unit", "direction", "method", "direction_note", "definition", "source", "source_url",
    "geography_level", "headline_geography", "caveat", "geography_name", "release_date", "plan_facts",
    "target", "slug", "source_key",
}


def metadata_parse(data: bytes, *, name: str) -> tuple[dict[str, IndicatorMeta], list[Problem]]:
    """Indicator metadata from YAML: one indicator (with ``slug``, or named by the file), or
    ``indicators:`` mapping each name to its fields. Keyed by slug and by source name."""
    problems: list[Problem] = []
    try:
        document = yaml.safe_load(data.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return {}, [Problem(file=name, message=f"is not readable YAML: {error}")]
    if not isinstance(document, dict):
        return {}, [Problem(file=name, message="must be a mapping of fields (name, unit, direction, …)")]
    if "indicators" in document:
        entries = document["indicators"]
        if not isinstance(entries, dict):
            return {}, [Problem(file=name, message="`indicators` must map each indicator to its fields")]
    else:
        stem = Path(name).stem
        entries = {str(document.get("slug") or stem): document}
    found: dict[str, IndicatorMeta] = {}
    for key, fields in entries.items():
        meta = _meta_one(str(key), fields, name, problems)
        if meta is not None:
            found[meta.slug] = meta
            if meta.source_key:
                found[meta.source_key] = meta
    return found, problems


def _meta_one(key: str, fields: Any, name: str, problems: list[Problem]) -> IndicatorMeta | None:
    where = f"indicator {key!r}"
    if not isinstance(fields, dict):
        problems.append(Problem(file=name, message=f"{where}: give its fields (name, unit, direction, …)"))
        return None
    before = len(problems)
    for required in ("name", "unit", "direction"):
        if not str(fields.get(required) or "").strip():
            hint = " (increase or decrease: which way is better; never guessed)" if required == "direction" else ""
            problems.append(Problem(file=name, message=f"{where}: `{required}` is missing{hint}", column=required))
    direction = str(fields.get("direction") or "").strip().lower()
    if direction and direction not in DIRECTIONS:
        problems.append(Problem(file=name, message=f"{where}: direction {direction!r} must be increase or decrease",
                                column="direction"))
    method = str(fields.get("method") or "cagr").strip().lower()
    if method not in METHODS:
        problems.append(Problem(file=name, message=f"{where}: method {method!r} must be cagr or linear",
                                column="method"))
    release = fields.get("release_date")
    if release is not None and not isinstance(release, dt.date):
        release = _date(str(release))
        if release is None:
            problems.append(Problem(file=name, message=f"{where}: release_date must be a date like 2021-11-25",
                                    column="release_date"))
    target = fields.get("target") or {}
    if not isinstance(target, dict):
        problems.append(Problem(file=name, message=f"{where}: `target` must be a mapping", column="target"))
    if len(problems) > before:
        return None
    slug = indicator_slug(str(fields.get("slug") or key))
    source_key = str(fields.get("source_key") or (key if indicator_slug(key) != key or fields.get("slug") else ""))
    text = {f: str(fields.get(f) or "").strip() for f in (
        "name", "unit", "direction_note", "definition", "source", "source_url", "geography_level",
        "headline_geography", "caveat", "geography_name",
    )}
    return IndicatorMeta(
        slug=slug, direction=direction, method=method, source_key=source_key, release_date=release,
        plan_facts=[str(f) for f in fields.get("plan_facts") or []], target=dict(target),
        extra={k: v for k, v in fields.items() if k not in _META_FIELDS and _plain(v)},
        **text,
    )


def _plain(value: Any) -> bool:
    try:
        json.dumps(value)
    except TypeError:
        return False
    return True


def metadata_read(path: Path) -> tuple[dict[str, IndicatorMeta], list[Problem]]:
    return metadata_parse(path.read_bytes(), name=path.name)
