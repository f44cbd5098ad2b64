"""Read a payroll file (CSV, XLSX or Parquet) into one normalised frame, or say every problem in it.

One row per relevant employee. Column names are matched case-insensitively; a mapping file lets
users keep their payroll system's own names. A good file takes the fast path (typed read, checks as
column-wide aggregates); only a bad file pays for row-by-row problem reports.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from ..problems import Problem
from ..yes_no import NO, YES
from .codes import recode
from .errors import PayrollFileError
from .groups import Coding, default_codings
from .rules import MONEY_SCALE, SEX_VALUES

if TYPE_CHECKING:
    from .cells import CellTable

__all__ = [
    "COLUMNS",
    "Payroll",
    "load_mapping",
    "read_payroll",
    "normalise_payroll",
    "MAX_PROBLEMS",
]

COLUMNS = (
    "employee_id",
    "sex",
    "full_pay",
    "hourly_pay",
    "ordinary_pay",
    "weekly_hours",
    "pay_period_days",
    "period_bonus_pay",
    "bonus_pay",
    "ethnicity",
    "disability",
)
_NUMERIC = ("hourly_pay", "ordinary_pay", "weekly_hours", "pay_period_days", "period_bonus_pay", "bonus_pay")
_TEXT = ("employee_id", "sex", "full_pay", "ethnicity", "disability")
_PAY = ("hourly_pay", "ordinary_pay", "period_bonus_pay", "bonus_pay")
_DERIVED = ("ordinary_pay", "weekly_hours", "pay_period_days")
MAX_PROBLEMS = 10_000
_LARGEST_MILLIONTHS = 2.0**63  # pay in millionths of a pound must fit a signed 64-bit integer

Step = Callable[[str], None]


@dataclass(frozen=True, eq=False)
class Payroll:
    """A checked payroll, one row per relevant employee.

    ``columns``: the file's columns as checked, under our names (``COLUMNS``). ``frame`` (computed
    when first asked for) columns: ``sex`` (Enum male/female, null = not recorded), ``fpre`` (Boolean),
    ``hourly`` (Int64 millionths of a pound; null when not a full-pay relevant employee),
    ``bonus`` (Int64 millionths of a pound, 0 when none), and, when the file has them,
    ``ethnicity`` and ``disability`` (Categorical, or Enum when the file had one; as written; null when blank).
    """

    source: str
    has_ethnicity: bool
    has_disability: bool
    checked_columns: pl.DataFrame | None = field(default=None, repr=False)
    # A payroll streamed through the one-pass route keeps no rows, only where they are.
    file: PayrollFile | None = field(default=None, repr=False)
    # The one-pass route's cell table (``scan.py``), with the codings it was built for.
    scanned: tuple[tuple[Coding, ...], CellTable] | None = field(default=None, repr=False)
    prepared_frame: pl.DataFrame | None = field(default=None, repr=False)

    @cached_property
    def _checked(self) -> Payroll:
        """This payroll with its rows in memory: itself, or its file read again and checked (Polars route)."""
        if self.checked_columns is not None:
            return self
        assert self.file is not None, "a Payroll needs its columns or its file"
        return self.file.read_checked()

    @property
    def columns(self) -> pl.DataFrame:
        columns = self._checked.checked_columns
        assert columns is not None
        return columns

    @cached_property
    def frame(self) -> pl.DataFrame:
        if self._checked is not self:
            return self._checked.frame
        if self.prepared_frame is not None:
            return self.prepared_frame
        present = list(self.columns.columns)
        full_pay_values, sexes = _spellings(self.columns, present)
        return _normalised(self.columns, present, full_pay_values, sexes).collect()

    def cells_for(self, codings: Sequence[Coding]) -> CellTable | None:
        """The cell table for ``codings`` from the one-pass route, or None (build it from ``frame``).

        A table for other codings (another ethnicity reference group) takes another pass over the
        file, which must not have changed since it was read.
        """
        if self.scanned is None:
            return None
        built_for, table = self.scanned
        if all(any(_same(c, b) for b in built_for) for c in codings):
            return table
        assert self.file is not None, "the one-pass route always keeps its file"
        again = self.file.stream(codings)
        return again.scanned[1] if again is not None and again.scanned is not None else None


@dataclass(frozen=True)
class PayrollFile:
    """A payroll file as it was when read: enough to read it again, and to know if it has changed since."""

    path: Path
    kind: str
    resolved: Mapping[str, str]
    size: int
    modified_ns: int

    @classmethod
    def of(cls, path: Path, kind: str, resolved: Mapping[str, str]) -> PayrollFile:
        stat = path.stat()
        return cls(path, kind, dict(resolved), stat.st_size, stat.st_mtime_ns)

    def unchanged(self) -> None:
        """Raise ``PayrollFileError`` if the file is gone or has changed since it was read."""
        try:
            stat = self.path.stat()
        except OSError as error:
            raise PayrollFileError(str(self.path), [Problem(
                "the file is no longer there; the figures asked for need its rows again: read it again")]) from error
        if (stat.st_size, stat.st_mtime_ns) != (self.size, self.modified_ns):
            raise PayrollFileError(str(self.path), [Problem(
                "the file has changed since it was read; read it again for figures from its new contents")])

    def stream(self, codings: Sequence[Coding]) -> Payroll | None:
        """The one-pass route over the file again, for ``codings`` (None: take the Polars route)."""
        self.unchanged()
        return _streamed_payroll(self.path, self.kind, dict(self.resolved), codings)

    def read_checked(self) -> Payroll:
        """The file read whole and checked by the Polars route."""
        self.unchanged()
        raw, parse_failed = _read(self.path, self.kind, dict(self.resolved))
        return normalise_payroll(
            raw,
            source=str(self.path),
            line_offset=None if self.kind == "parquet" else 1,
            check_parsing=parse_failed or self.kind != "csv",
        )


def _same(one: Coding, other: Coding) -> bool:
    return (one.name, one.categories) == (other.name, other.categories)


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a column mapping file: YAML ``our_name: their_name`` or CSV ``our_name,their_name``."""
    path = Path(path)
    if not path.exists():
        raise PayrollFileError(str(path), [Problem("mapping file not found; check the path")])
    text = path.read_text(encoding="utf-8-sig")
    problems: list[Problem] = []
    mapping: dict[str, str] = {}
    if path.suffix.lower() in {".yaml", ".yml"}:
        import yaml  # here, not at the top: few runs have a mapping file, and yaml costs ~40 ms to import

        try:
            loaded = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            raise PayrollFileError(str(path), [Problem(f"not valid YAML: {error}")]) from error
        if not isinstance(loaded, dict):
            raise PayrollFileError(str(path), [Problem("expected lines of the form our_name: their_name")])
        pairs = [(str(k), str(v)) for k, v in loaded.items()]
        rows: list[int | None] = [None] * len(pairs)
    else:
        reader = list(csv.reader(text.splitlines()))
        if reader and [c.strip().lower() for c in reader[0]] == ["our_name", "their_name"]:
            reader = reader[1:]
            first = 2
        else:
            first = 1
        pairs, rows = [], []
        for number, record in enumerate(reader, start=first):
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != 2:
                problems.append(Problem("expected two values: our_name,their_name", row=number))
                continue
            pairs.append((record[0], record[1]))
            rows.append(number)
    for (ours, theirs), row in zip(pairs, rows, strict=True):
        key = ours.strip().lower()
        if key not in COLUMNS:
            problems.append(
                Problem(f"unknown column name {ours!r}; use one of: {', '.join(COLUMNS)}", row=row)
            )
        mapping[key] = theirs.strip()
    if problems:
        raise PayrollFileError(str(path), problems)
    return mapping


def read_payroll(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    step: Step | None = None,
) -> Payroll:
    """Read and check a payroll file. Raises ``PayrollFileError`` listing every problem found.

    Rows are numbered from 1 for the first data row; ``line`` on each problem is the line (CSV) or
    spreadsheet row (XLSX) the user sees, i.e. row + 1 after the header.
    """
    path = Path(path)
    step = step or (lambda _label: None)
    if not path.exists():
        raise PayrollFileError(str(path), [Problem("file not found; check the path")])
    kind = _kind(path)
    header = _header(path, kind)
    resolved, problems = _resolve_columns(header, mapping or {})
    if problems:
        raise PayrollFileError(str(path), problems)
    step("reading")
    if kind in {"csv", "parquet"}:
        streamed = _streamed_payroll(path, kind, resolved)
        if streamed is not None:
            step("checking")
            return streamed
    raw, parse_failed = _read(path, kind, resolved)
    step("checking")
    return normalise_payroll(
        raw,
        source=str(path),
        line_offset=None if kind == "parquet" else 1,
        check_parsing=parse_failed or kind != "csv",
    )


def normalise_payroll(
    raw: pl.DataFrame,
    *,
    source: str = "<data>",
    line_offset: int | None = 1,
    check_parsing: bool = True,
) -> Payroll:
    """Check and normalise a frame whose columns already carry our names (see ``COLUMNS``).

    Numeric columns may be text (parsed here, every failure reported) or numbers.
    """
    present = [c for c in COLUMNS if c in raw.columns]
    missing = _missing_columns(present)
    if missing:
        raise PayrollFileError(source, missing)
    frame = raw.select(present)
    parsed = frame.with_columns(_casts(frame.schema, present))
    full_pay_values, sexes = _spellings(parsed, present)
    checks = _checks(present, raw.schema if check_parsing else None, full_pay_values)
    with_raw = parsed.hstack(raw.select([pl.col(c).alias(f"__raw_{c}") for c in present]))
    ids = pl.col("employee_id")
    # Duplicate ids: exports are usually in id order, and strictly increasing ids are distinct, so
    # a comparison of neighbours (cheap) spares hashing every id (about 4× dearer) on most files.
    aggregates = [expr.sum().alias(label) for label, (expr, _col, _msg) in checks.items()]
    aggregates.append((ids <= ids.shift(1)).any().alias("__ids_not_increasing"))
    # The normalised frame is computed in the same parallel batch: wasted only on a bad file. It does
    # not fail on bad values (see _normalised); should it fail all the same, the checks run alone.
    normalised: pl.DataFrame | None
    try:
        counts, normalised = pl.collect_all(
            [with_raw.lazy().select(aggregates), _normalised(parsed, present, full_pay_values, sexes)]
        )
    except pl.exceptions.PolarsError:
        counts, normalised = with_raw.select(aggregates), None
    failing = [label for label in checks if counts[label][0]]
    duplicated = False
    if counts["__ids_not_increasing"][0] or "blank_id" in failing:
        duplicated = _has_duplicate_ids(parsed["employee_id"])
    problems: list[Problem] = []
    total = 0
    if failing or duplicated:
        numbered = with_raw.with_row_index("__row", offset=1)
        for label in failing:
            expr, column, message = checks[label]
            hits = numbered.filter(expr).select("__row", pl.col(f"__raw_{column}").cast(pl.String))
            total += hits.height
            for row, value in hits.head(max(0, MAX_PROBLEMS - len(problems))).iter_rows():
                problems.append(_problem(message, column, row, line_offset, value))
        if duplicated:
            total, problems = _duplicates(numbered, total, problems, line_offset)
    if problems:
        problems.sort(key=lambda p: (p.row or 0, COLUMNS.index(p.column) if p.column in COLUMNS else 99))
        raise PayrollFileError(source, problems, total)
    return Payroll(
        source=source,
        has_ethnicity="ethnicity" in present,
        has_disability="disability" in present,
        checked_columns=parsed,
        prepared_frame=normalised,
    )


def _streamed_payroll(
    path: Path, kind: str, resolved: dict[str, str], codings: Sequence[Coding] | None = None
) -> Payroll | None:
    """The one-pass route on a CSV or Parquet file read in batches, each checked and packed as it
    arrives: the rows are never all in memory at once. None: take the Polars route (a problem to name,
    a repeated id, a column type the scan cannot read, or the extension not built)."""
    from .scan import available, scan_batches

    if not available():
        return None
    present = [c for c in COLUMNS if c in resolved]
    if codings is None:
        codings = default_codings(has_ethnicity="ethnicity" in present, has_disability="disability" in present)
    try:
        file = PayrollFile.of(path, kind, resolved)
        if kind == "parquet":
            source = pl.scan_parquet(path)
            rows = source.select(pl.len()).collect().item()
        else:
            # A byte order mark (spreadsheet "CSV UTF-8" exports) stays on the first column's name.
            raw_name = {name.lstrip("\ufeff"): name for name in pl.read_csv(path, n_rows=0, infer_schema=False).columns}
            typed = {raw_name[theirs]: pl.Float64 if ours in _NUMERIC else pl.String
                     for ours, theirs in resolved.items() if ours != "employee_id"}
            source = pl.scan_csv(path, infer_schema=False, schema_overrides=typed)
            source = source.rename({raw: name for name, raw in raw_name.items() if raw != name})
            # Every CSV row has a separator or line end per column, so there are no more rows than this.
            rows = file.size // max(1, len(present)) + 1
        selected = source.select(list(resolved.values())).rename({theirs: ours for ours, theirs in resolved.items()})
        selected = selected.select(present)
        streamed = selected.with_columns(_scan_casts(selected.collect_schema(), present))
        if any(streamed.collect_schema()[name] == pl.String for name in _NUMERIC if name in present):
            return None  # numbers as text: the Polars route parses them and names every bad cell
        outcome = scan_batches(streamed.collect_batches(), codings, capacity=rows, threads=2)
        if outcome is None or outcome.problem or outcome.cells is None:
            return None
        if not outcome.ids_increasing and _has_duplicate_ids(streamed.select("employee_id").collect()["employee_id"]):
            return None
    except (pl.exceptions.PolarsError, OSError, ValueError):
        return None  # e.g. a value that does not parse: the Polars route names every such cell
    return Payroll(
        source=str(path),
        has_ethnicity="ethnicity" in present,
        has_disability="disability" in present,
        file=file,
        scanned=(tuple(codings), outcome.cells),
    )


def _casts(schema: Mapping[str, pl.DataType], present: list[str]) -> list[pl.Expr]:
    """Numbers to Float64 (text parsed), employee_id to text, the other text columns to categories."""
    casts = []
    for name in present:
        if name in _NUMERIC:
            casts.append(_to_float(schema[name], name))
        elif name == "employee_id":
            if schema[name] != pl.String:
                casts.append(pl.col(name).cast(pl.String))
        elif not isinstance(schema[name], pl.Categorical | pl.Enum):
            # No per-row trimming: the rules trim each distinct value instead. Columns that are
            # already categories (the CSV reader's, or a dictionary-encoded Parquet's) skip the cast.
            casts.append(pl.col(name).cast(pl.String).cast(pl.Categorical))
    return casts


def _scan_casts(schema: Mapping[str, pl.DataType], present: list[str]) -> list[pl.Expr]:
    """What the one-pass scan reads: employee_id and the text columns as text or categories (the scan
    classifies either), numbers as they are (text numbers never reach it)."""
    casts = []
    for name in present:
        if name in _NUMERIC:
            continue
        readable = pl.String if name == "employee_id" else pl.String | pl.Categorical | pl.Enum
        if not isinstance(schema[name], readable):
            casts.append(pl.col(name).cast(pl.String))
    return casts


def _spellings(parsed: pl.DataFrame, present: list[str]) -> tuple[list[str], pl.Series]:
    """The distinct spellings of the yes/no and sex columns, in one parallel pass: rules run on these."""
    spellings = parsed.select(
        [pl.col(name).unique().implode() for name in ("full_pay", "sex") if name in present]
    )
    full_pay_values = spellings["full_pay"][0].drop_nulls().to_list() if "full_pay" in present else []
    return full_pay_values, spellings["sex"][0]


def _has_duplicate_ids(ids: pl.Series) -> bool:
    """Whether any id repeats. Numeric ids in number order ("1", "2", "10") are distinct too."""
    numbers = ids.cast(pl.Int64, strict=False)
    if numbers.null_count() == 0 and (numbers.len() < 2 or bool((numbers.diff().drop_nulls() > 0).all())):
        return False
    # A hash collision can only claim a duplicate that is not there; ``_duplicates`` then finds none.
    return ids.hash().n_unique() != ids.len()


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        return "csv"
    if suffix in {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}:
        return "excel"
    if suffix in {".parquet", ".pq"}:
        return "parquet"
    raise PayrollFileError(
        str(path), [Problem(f"unsupported file type {suffix!r}; save the payroll as CSV, XLSX or Parquet")]
    )


def _header(path: Path, kind: str) -> list[str]:
    try:
        if kind == "csv":
            return [c.lstrip("\ufeff") for c in pl.read_csv(path, n_rows=0, infer_schema=False).columns]
        if kind == "parquet":
            return list(pl.read_parquet_schema(path))
        return pl.read_excel(path, read_options={"n_rows": 0}).columns
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise PayrollFileError(str(path), [Problem(f"cannot read the file: {error}")]) from error


def _resolve_columns(header: list[str], mapping: Mapping[str, str]) -> tuple[dict[str, str], list[Problem]]:
    """Map our column names to the file's actual names (case-insensitive, through the mapping)."""
    by_lower: dict[str, list[str]] = {}
    for name in header:
        by_lower.setdefault(name.strip().lower(), []).append(name)
    problems = []
    resolved: dict[str, str] = {}
    for ours in COLUMNS:
        theirs = mapping.get(ours, ours).strip().lower()
        matches = by_lower.get(theirs, [])
        if len(matches) > 1:
            problems.append(
                Problem(f"the header has {len(matches)} columns named like this; keep one", column=ours)
            )
        elif matches:
            resolved[ours] = matches[0]
        elif ours in mapping:
            problems.append(
                Problem(
                    f"the mapping names column {mapping[ours]!r} but the file has no such column", column=ours
                )
            )
    problems.extend(_missing_columns(list(resolved)))
    return resolved, problems


def _missing_columns(present: list[str]) -> list[Problem]:
    problems = []
    for required in ("employee_id", "sex", "bonus_pay"):
        if required not in present:
            hint = " (0 for employees with no bonus)" if required == "bonus_pay" else ""
            article = "an" if required[0] in "aeiou" else "a"
            problems.append(Problem(f"missing column; add {article} {required} column{hint}", column=required))
    if "hourly_pay" not in present:
        absent = [c for c in _DERIVED if c not in present]
        if absent:
            problems.append(
                Problem(
                    "missing column; give either hourly_pay, or ordinary_pay, weekly_hours and pay_period_days "
                    f"(missing: {', '.join(absent)})",
                    column=absent[0],
                )
            )
    return problems


def _read(path: Path, kind: str, resolved: dict[str, str]) -> tuple[pl.DataFrame, bool]:
    """Read only the columns we use, renamed to our names. Returns (frame, parsing_failed)."""
    actual = list(resolved.values())
    rename = {theirs: ours for ours, theirs in resolved.items()}
    try:
        if kind == "csv":
            # Text columns with few distinct values are read as categories: rules then run per value.
            typed = {
                theirs: pl.Float64 if ours in _NUMERIC else pl.Categorical
                for ours, theirs in resolved.items()
                if ours != "employee_id"
            }
            try:
                frame = pl.read_csv(path, columns=actual, infer_schema=False, schema_overrides=typed)
                failed = False
            except pl.exceptions.ComputeError:
                # Some value did not parse: read as text so every bad cell can be named.
                frame = pl.read_csv(path, columns=actual, infer_schema=False)
                failed = True
            frame = frame.rename(lambda name: rename.get(name.lstrip("\ufeff"), name))
            return frame, failed
        if kind == "parquet":
            return pl.read_parquet(path, columns=actual).rename(rename), False
        frame = pl.read_excel(path, columns=actual, infer_schema_length=0)
        return frame.rename(rename), False
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise PayrollFileError(str(path), [Problem(f"cannot read the file: {error}")]) from error


def _to_float(dtype: pl.DataType, name: str) -> pl.Expr:
    column = pl.col(name)
    if dtype == pl.String:
        text = column.str.strip_chars()
        return pl.when(text == "").then(None).otherwise(text).cast(pl.Float64, strict=False).alias(name)
    return column.cast(pl.Float64, strict=False).alias(name)


def _blank(name: str, raw_schema: Mapping[str, pl.DataType] | None) -> pl.Expr:
    """A cell with nothing in it. Without a parse check the typed reader already made blanks null."""
    if raw_schema is None or raw_schema.get(name) != pl.String:
        return pl.col(name).is_null() if raw_schema is None else pl.col(f"__raw_{name}").is_null()
    raw = pl.col(f"__raw_{name}")
    return raw.is_null() | (raw.str.strip_chars() == "")


def _checks(
    present: list[str], raw_schema: Mapping[str, pl.DataType] | None, full_pay_values: list[str]
) -> dict[str, tuple[pl.Expr, str, str]]:
    """Every per-cell check as (boolean expression, column, message how to fix)."""
    checks: dict[str, tuple[pl.Expr, str, str]] = {}
    if raw_schema is not None:
        for name in present:
            if name in _NUMERIC:
                checks[f"parse_{name}"] = (
                    ~_blank(name, raw_schema) & pl.col(name).is_null(),
                    name,
                    "not a number; write plain numbers such as 1234.56, without £ signs or commas",
                )
    checks["blank_id"] = (
        pl.col("employee_id").is_null() | (pl.col("employee_id").str.len_bytes() == 0),
        "employee_id",
        "missing value; every row needs an employee_id",
    )
    for name in _PAY:
        if name in present:
            checks[f"negative_{name}"] = (pl.col(name) < 0, name, "negative pay; pay cannot be below 0")
    for name in ("weekly_hours", "pay_period_days"):
        if name in present:
            checks[f"zero_{name}"] = (pl.col(name) <= 0, name, f"{name} must be more than 0")
    for name in _NUMERIC:
        if name in present:
            checks[f"finite_{name}"] = (
                pl.col(name).is_nan() | pl.col(name).is_infinite(),
                name,
                "not a finite number; write plain numbers such as 1234.56",
            )
    # Pay is counted in whole millionths of a pound, in 64 bits: up to about £9.2 trillion.
    for name in ("hourly_pay", "bonus_pay"):
        if name in present:
            checks[f"too_large_{name}"] = (
                pl.col(name).is_finite() & (pl.col(name) * MONEY_SCALE >= _LARGEST_MILLIONTHS),
                name,
                "too large; pay must be under £9,000,000,000,000",
            )
    unknown = [v for v in full_pay_values if v.strip().lower() not in YES | NO | {""}]
    if unknown:
        checks["full_pay"] = (
            pl.col("full_pay").is_in(unknown),
            "full_pay",
            "not a yes/no value; write yes, no, true, false, 1 or 0 (blank means yes)",
        )
    fpre = _fpre_expr(present, full_pay_values)
    derived_ok = [c for c in _DERIVED if c in present]
    if len(derived_ok) == 3:
        rate = _derived_rate(present)
        no_hourly_pay = pl.col("hourly_pay").is_null() if "hourly_pay" in present else pl.lit(True)
        checks["too_large_rate"] = (
            fpre & no_hourly_pay & rate.is_finite() & (rate * MONEY_SCALE >= _LARGEST_MILLIONTHS),
            "ordinary_pay",
            "the hourly rate this gives (ordinary pay x 7 / days in the period / weekly hours) is over "
            "£9,000,000,000,000; check ordinary_pay, weekly_hours and pay_period_days",
        )
    for name in _DERIVED if len(derived_ok) == 3 else ():
        missing_hourly = _blank("hourly_pay", raw_schema) if "hourly_pay" in present else pl.lit(True)
        checks[f"missing_{name}"] = (
            fpre & missing_hourly & _blank(name, raw_schema),
            name,
            "missing value; a full-pay relevant employee needs "
            + ("hourly_pay or " if "hourly_pay" in present else "")
            + "ordinary_pay, weekly_hours and pay_period_days",
        )
    if "hourly_pay" in present and len(derived_ok) < 3:
        checks["missing_hourly_pay"] = (
            fpre & _blank("hourly_pay", raw_schema),
            "hourly_pay",
            "missing value; a full-pay relevant employee needs an hourly_pay",
        )
    return checks


def _fpre_expr(present: list[str], full_pay_values: list[str]) -> pl.Expr:
    """Rule: full_pay defaults to true (a blank or absent value means a full-pay relevant employee)."""
    if "full_pay" not in present:
        return pl.lit(True)
    no = [v for v in full_pay_values if v.strip().lower() in NO]
    return ~pl.col("full_pay").is_in(no).fill_null(False)


def _problem(message: str, column: str, row: int, line_offset: int | None, value: str | None) -> Problem:
    return Problem(
        message,
        column=column,
        row=row,
        line=None if line_offset is None else row + line_offset,
        value=value,
    )


def _duplicates(
    frame: pl.DataFrame, total: int, problems: list[Problem], line_offset: int | None
) -> tuple[int, list[Problem]]:
    repeated = (
        frame.select("__row", "employee_id")
        .filter(pl.col("employee_id").is_duplicated())
        .with_columns(pl.col("__row").min().over("employee_id").alias("__first"))
        .filter(pl.col("__row") != pl.col("__first"))
    )
    total += repeated.height
    for row, value, first in repeated.head(max(0, MAX_PROBLEMS - len(problems))).iter_rows():
        problems.append(
            _problem(f"duplicate employee_id, first used on row {first}; each employee once", "employee_id",
                     row, line_offset, value)
        )
    return total, problems


def _derived_rate(present: list[str]) -> pl.Expr:
    """Reg 6: (ordinary pay + bonus pay in the period) × 7 ÷ days in the period ÷ weekly hours."""
    period_bonus = pl.col("period_bonus_pay").fill_null(0.0) if "period_bonus_pay" in present else 0.0
    return (pl.col("ordinary_pay") + period_bonus) * 7.0 / pl.col("pay_period_days") / pl.col("weekly_hours")


def _normalised(
    parsed: pl.DataFrame, present: list[str], full_pay_values: list[str], sexes: pl.Series
) -> pl.LazyFrame:
    """The ``Payroll.frame`` columns, as a query (run in one batch with the checks)."""
    fpre = _fpre_expr(present, full_pay_values)
    hourly: pl.Expr | None = None
    if all(c in present for c in _DERIVED):
        hourly = _derived_rate(present)
    if "hourly_pay" in present:
        hourly = pl.col("hourly_pay") if hourly is None else pl.coalesce(pl.col("hourly_pay"), hourly)
    assert hourly is not None
    sex_map = {raw: SEX_VALUES.get(raw.strip().lower()) for raw in sexes.drop_nulls().to_list()}
    columns = [
        recode(parsed["sex"], sex_map, default=None, dtype=pl.Enum(["male", "female"]), distinct=sexes).alias("sex"),
        fpre.alias("fpre"),
        # Not strict: on a bad file (the checks name why) a rate may be infinite or too large, and a
        # failing query in a batch can leave Polars' (2.1) async runtime hanging every later query.
        pl.when(fpre).then((hourly * MONEY_SCALE).round().cast(pl.Int64, strict=False)).alias("hourly"),
        (pl.col("bonus_pay").fill_null(0.0) * MONEY_SCALE).round().cast(pl.Int64, strict=False).alias("bonus"),
    ]
    for name in ("ethnicity", "disability"):
        if name in present:
            columns.append(pl.col(name))
    return parsed.lazy().select(columns)
