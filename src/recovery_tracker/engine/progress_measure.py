"""On-track assessment of an indicator series against a direction and, optionally, a target.

Two methods share one result type:

* ``cagr``: the Open SDG 2.4 progress measure (Statistics Canada's compound annual growth rate
  method, Eurostat/UN thresholds), re-implemented from the written method in
  ``shared/reference/progress-method.md`` §3-§6 and checked against its §9 vectors.
* ``linear``: for counts and cumulative targets (e.g. 215,000 homes by 2031), where a growth
  rate means nothing. It follows the Destatis "weather symbol" rule: the average of the last
  five annual changes is extended in a straight line to the deadline and the projected miss is
  compared with the current distance to the target.

Every result carries the projected value at the deadline, the rate needed from now on and a
``components`` record of every input and intermediate value, so a reader can redo the sum.
No Django here: callers pass plain years and values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol, cast

from recovery_tracker.engine.problems import Problem, ProblemsFound
from recovery_tracker.engine.tables import Table, TableUnreadable, table_parse

__all__ = [
    "DEFAULT_BASE_YEAR",
    "DEFAULT_TARGET_YEAR",
    "LIMIT_EXPONENT",
    "LINEAR_THRESHOLDS",
    "LINEAR_WINDOW_POINTS",
    "Components",
    "IndicatorProgress",
    "Method",
    "Observation",
    "ProgressResult",
    "ScoredSeries",
    "SeriesDataError",
    "Status",
    "Thresholds",
    "assess",
    "assess_cagr",
    "assess_linear",
    "cagr",
    "linear_score",
    "indicator_progress",
    "limit_coefficient",
    "method1_score",
    "method2_score",
    "normalise_observations",
    "parse_direction",
    "read_year_value_csv",
    "status_from_score",
    "status_from_value",
]

DEFAULT_BASE_YEAR = 2015
DEFAULT_TARGET_YEAR = 2030
LIMIT_EXPONENT = 4.44
# Destatis: "the average of the last five annual changes ... based on the most recent six data points".
LINEAR_WINDOW_POINTS = 6

Method = Literal["cagr", "linear"]


class Status(StrEnum):
    SUBSTANTIAL_PROGRESS = "substantial_progress"
    MODERATE_PROGRESS = "moderate_progress"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    TARGET_ACHIEVED = "target_achieved"
    NOT_AVAILABLE = "not_available"


class SeriesDataError(ProblemsFound):
    """Bad input series: the problem names the file, row and column where known."""

    def __init__(self, problem: Problem | str) -> None:
        found = problem if isinstance(problem, Problem) else Problem(problem)
        super().__init__([found], message=str(found))


@dataclass(frozen=True)
class Observation:
    year: int
    value: float


@dataclass(frozen=True)
class Thresholds:
    high: float
    med: float
    low: float


@dataclass(frozen=True)
class Components:
    """Every input and intermediate value of one assessment, in the order a reader would check them."""

    method: str
    calculation: str
    direction: int
    base_year_requested: int
    base_year: int | None
    base_value_observed: float | None
    base_value: float | None
    current_year: int | None
    current_value: float | None
    target_given: float | None
    target: float | None
    target_year: int
    sign: int | None
    limit_given: float | None
    limit: float | None
    coefficient: float | None
    thresholds: Thresholds | None
    cagr_current: float | None
    cagr_target: float | None
    trend_years: tuple[int, ...]
    trend_per_year: float | None
    path_value_now: float | None
    delivered: float | None
    path_share: float | None
    target_achieved: bool
    progress_value: float | None
    projection: float | None
    required_rate: float | None
    status: Status
    score: float | None
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ProgressResult:
    """The verdict for one series, with the components behind it."""

    method: str
    status: Status
    score: float | None
    progress_value: float | None
    base_year: int | None
    base_value: float | None
    current_year: int | None
    current_value: float | None
    target: float | None
    target_year: int
    direction: int
    target_achieved: bool
    projection: float | None
    required_rate: float | None
    warnings: tuple[str, ...]
    components: Components = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the headline fields plus ``components`` and ``warnings``.

        Infinite or undefined numbers become ``None`` so the output is valid JSON.
        """
        headline = {
            "status": str(self.status),
            "score": self.score,
            "progress_value": self.progress_value,
            "base_year": self.base_year,
            "base_value": self.base_value,
            "current_year": self.current_year,
            "current_value": self.current_value,
            "target": self.target,
            "target_year": self.target_year,
            "projection": self.projection,
            "required_rate": self.required_rate,
            "method": self.method,
            "direction": self.direction,
            "target_achieved": self.target_achieved,
            "warnings": list(self.warnings),
            "components": asdict(self.components),
        }
        return cast(dict[str, Any], _json_safe(headline))


class ScoredSeries(Protocol):
    @property
    def score(self) -> float | None: ...

    @property
    def target_achieved(self) -> bool: ...


@dataclass(frozen=True)
class IndicatorProgress:
    score: float | None
    status: Status
    target_achieved: bool
    scored_series: int
    series: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the indicator verdict."""
        return cast(dict[str, Any], _json_safe({**asdict(self), "status": str(self.status)}))


def _json_safe(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, StrEnum):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


# --- inputs -------------------------------------------------------------------------------------


def parse_direction(direction: str | int) -> int:
    """Return +1 when an increase is better and -1 when a decrease is better.

    Rule (our own, reference §11.1): "Require `direction` explicitly rather than silently
    defaulting to negative" as Open SDG does. Accepts increase/decrease, positive/negative, +1/-1.
    """
    if isinstance(direction, int) and not isinstance(direction, bool) and direction in (1, -1):
        return direction
    if isinstance(direction, str):
        word = direction.strip().lower()
        if word in ("increase", "positive", "+1", "1"):
            return 1
        if word in ("decrease", "negative", "-1"):
            return -1
    raise ValueError(
        f"direction {direction!r} is not understood: say 'increase' if a higher value is better "
        "or 'decrease' if a lower value is better"
    )


def _year(raw: int | str) -> int:
    """Rule (reference §3.1): "Years longer than 4 characters are cut to the first 4 ("2015-16" → 2015)"."""
    text = str(raw).strip()
    if len(text) > 4:
        text = text[:4]
    return int(text)


def normalise_observations(
    observations: Mapping[int | str, float | None] | Iterable[tuple[int | str, float | None]],
) -> tuple[Observation, ...]:
    """Years cut to four characters, missing values dropped, sorted by year.

    Rule (reference §3.2): "Error if ... a year repeats. Drop missing values." Raises
    ``SeriesDataError`` naming the repeated year or the unreadable year.
    """
    pairs = observations.items() if isinstance(observations, Mapping) else observations
    seen: dict[int, float | None] = {}
    for raw_year, value in pairs:
        try:
            year = _year(raw_year)
        except ValueError as error:
            raise SeriesDataError(f"year {raw_year!r} is not a year: use a form like 2015 or 2015-16") from error
        if year in seen:
            raise SeriesDataError(f"year {year} appears more than once (from {raw_year!r}); keep one value per year")
        seen[year] = value
    kept = [
        Observation(year, float(value))
        for year, value in seen.items()
        if value is not None and not (isinstance(value, float) and math.isnan(value))
    ]
    return tuple(sorted(kept, key=lambda obs: obs.year))


def read_year_value_csv(path: Path | str) -> tuple[Observation, ...]:
    """Read a two-column ``Year,Value`` CSV (header required; blank Value = missing).

    Raises ``SeriesDataError`` naming the file, the row (the header is row 1) and the column of
    the first problem, and how to fix it.
    """
    path = Path(path)
    name = str(path)
    try:
        table = table_parse(path.read_bytes(), name=name, suffix=".csv", column_name=str.strip)
    except FileNotFoundError as error:
        raise SeriesDataError(Problem("file not found; check the path passed to --csv", file=name)) from error
    except OSError as error:
        raise SeriesDataError(Problem(f"cannot be read ({error.strerror})", file=name)) from error
    except TableUnreadable as error:  # empty, not UTF-8, or not CSV
        raise SeriesDataError(error.problems[0]) from None
    return normalise_observations(_year_value_pairs(table))


def _year_value_pairs(table: Table) -> list[tuple[int, float | None]]:
    def bad(message: str, row: int, column: str | None = None) -> SeriesDataError:
        return SeriesDataError(Problem(message, file=table.file, row=row, column=column))

    names = table.columns
    missing = [name for name in ("Year", "Value") if name not in names]
    if missing:
        raise bad(f"column {' and '.join(repr(m) for m in missing)} not found in the header {names}; the file "
                  "needs exactly two columns named Year,Value", 1)
    extra = [name for name in names if name not in ("Year", "Value")]
    if extra:
        raise bad(f"unexpected column(s) {extra}; keep only Year,Value for one series (filter disaggregations "
                  "first)", 1)
    first_row_of: dict[int, int] = {}
    pairs: list[tuple[int, float | None]] = []
    for row in table.rows:
        if len(row.cells) != len(names):
            raise bad(f"has {len(row.cells)} cells but the header has {len(names)}", row.number)
        raw_year, raw_value = row.get("Year"), row.get("Value")
        try:
            year = _year(raw_year)
        except ValueError:
            raise bad(f"{raw_year!r} is not a year; use a form like 2015 or 2015-16", row.number, "Year") from None
        if year in first_row_of:
            raise bad(f"year {year} already appears in row {first_row_of[year]}; keep one value per year",
                      row.number, "Year")
        first_row_of[year] = row.number
        if raw_value == "":
            pairs.append((year, None))
            continue
        try:
            value = float(raw_value)
        except ValueError:
            raise bad(f"{raw_value!r} is not a number; write a plain number such as 12.5 (no units or thousands "
                      "separators), or leave it blank", row.number, "Value") from None
        if not math.isfinite(value):
            raise bad(f"{raw_value!r} is not a finite number", row.number, "Value")
        pairs.append((year, value))
    return pairs


# --- Open SDG rules ----------------------------------------------------------------------------


def cagr(later: float, earlier: float, t_later: float, t_earlier: float) -> float | None:
    """Compound annual growth rate, or ``None`` where it is undefined.

    Rule (reference §4): "CAGR = (y_later / y_earlier)^(1 / (t_later − t_earlier)) − 1".
    Undefined when the years coincide, the earlier value is 0, or the ratio is negative.
    """
    if t_later == t_earlier or earlier == 0:
        return None
    ratio = later / earlier
    if ratio < 0 or math.isnan(ratio):
        return None
    return _power(ratio, 1 / (t_later - t_earlier)) - 1


def _power(base: float, exponent: float) -> float:
    # Python floats raise on overflow where the method wants "very large": keep it as infinity.
    try:
        return cast(float, base**exponent)
    except OverflowError:
        return math.inf
    except ZeroDivisionError:
        return math.inf


def limit_coefficient(base_value: float, limit: float) -> float:
    """The natural-limit scaling factor C for method 1.

    Rule (reference §5): "With b = |y0| and L = |limit|, C = 1 if b ≥ 2L; C = 1 − (b/L)^4.44 if
    b ≤ L; otherwise C = 1 − ((2L − b)/L)^4.44."
    """
    b, limit_abs = abs(base_value), abs(limit)
    # Checked first so that b = L = 0 gives C = 1 rather than 0/0.
    if b >= 2 * limit_abs:
        return 1.0
    if b <= limit_abs:
        return 1 - cast(float, (b / limit_abs) ** LIMIT_EXPONENT)
    return 1 - cast(float, ((2 * limit_abs - b) / limit_abs) ** LIMIT_EXPONENT)


def status_from_value(value: float | None, thresholds: Thresholds, *, target_achieved: bool = False) -> Status:
    """Series status from its progress value.

    Rule (reference §5): "v ≥ high substantial_progress; med ≤ v < high moderate_progress;
    low ≤ v < med limited_progress; v < low deterioration. target_achieved overrides everything;
    v = none gives not_available."
    """
    if target_achieved:
        return Status.TARGET_ACHIEVED
    if value is None or math.isnan(value):
        return Status.NOT_AVAILABLE
    if value >= thresholds.high:
        return Status.SUBSTANTIAL_PROGRESS
    if value >= thresholds.med:
        return Status.MODERATE_PROGRESS
    if value >= thresholds.low:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def method1_score(value: float, thresholds: Thresholds, coefficient: float = 1.0) -> float:
    """Score in [-5, 5] for method 1 (no target); thresholds already scaled by C.

    Rule (reference §6): "v < low → max(125·v − 2.5, −5); else if C = 0 → 5; v ≥ high →
    min(500·v/C − 5, 5); v ≥ med → 250·v/C − 1.25; v ≥ low → 500·v/C − 2.5."
    """
    if value < thresholds.low:
        return max(125 * value - 2.5, -5.0)
    if coefficient == 0:
        return 5.0
    if value >= thresholds.high:
        return min(500 * value / coefficient - 5, 5.0)
    if value >= thresholds.med:
        return 250 * value / coefficient - 1.25
    return 500 * value / coefficient - 2.5


def method2_score(value: float) -> float:
    """Score in [-5, 5] for method 2 (target).

    Rule (reference §6): "v ≥ 0.6 → min(7.1429·v − 4.2857, 5); otherwise max(4.1667·v − 2.5, −5)."
    The rounded coefficients are used as printed, not 50/7, 30/7 and 25/6: only the printed ones
    reproduce the Statistics Canada scores (e.g. 1-2-1: v = 0.9525901792032172 → 2.5185563910306596)
    to 1e-9. A side effect: for v just under 0.6 (above about 0.599995) the score is a hair above 0
    while the status is limited_progress.
    """
    if value >= 0.6:
        return min(7.1429 * value - 4.2857, 5.0)
    return max(4.1667 * value - 2.5, -5.0)


def status_from_score(score: float | None, *, target_achieved: bool = False) -> Status:
    """Indicator status from a (mean) score.

    Rule (reference §6): "[2.5, 5] substantial; [0, 2.5) moderate; [−2.5, 0) limited;
    [−5, −2.5) deterioration. target_achieved only if every scored series achieved it."
    """
    if target_achieved:
        return Status.TARGET_ACHIEVED
    if score is None or math.isnan(score):
        return Status.NOT_AVAILABLE
    if score >= 2.5:
        return Status.SUBSTANTIAL_PROGRESS
    if score >= 0:
        return Status.MODERATE_PROGRESS
    if score >= -2.5:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def indicator_progress(series: Iterable[ScoredSeries]) -> IndicatorProgress:
    """Combine series verdicts into one indicator verdict.

    Rule (reference §6): "Indicator score = arithmetic mean of the non-null series scores ...
    target_achieved only if every scored series achieved it." No scored series → not_available.
    """
    items = list(series)
    scored = [item for item in items if item.score is not None]
    if not scored:
        return IndicatorProgress(None, Status.NOT_AVAILABLE, False, 0, len(items))
    score = math.fsum(float(item.score) for item in scored) / len(scored)  # type: ignore[arg-type]
    achieved = all(item.target_achieved for item in scored)
    return IndicatorProgress(
        score, status_from_score(score, target_achieved=achieved), achieved, len(scored), len(items)
    )


def _target_achieved(current: float, target: float | None, direction: int) -> bool:
    """Rule (reference §4): "Target achieved (checked first): d = −1 and yi ≤ yT, or d = +1 and yi ≥ yT"."""
    if target is None:
        return False
    return current <= target if direction == -1 else current >= target


@dataclass
class _Selection:
    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    reason: str | None = None
    points: tuple[Observation, ...] = ()


def _select(observations: tuple[Observation, ...], base_year: int) -> _Selection:
    """Rule (reference §3.3-3.4): current year = latest year; "if base_year has no data, use the first
    year after it that has"; not available when there is no data, fewer than two points, or the base
    year is later than the current year."""
    if not observations:
        return _Selection(reason="no data: the series has no values")
    current = observations[-1]
    chosen = next((obs for obs in observations if obs.year >= base_year), None)
    if chosen is None:
        return _Selection(
            current_year=current.year,
            current_value=current.value,
            base_year=base_year,
            reason=f"base year {base_year} is later than the latest year with data ({current.year})",
        )
    selection = _Selection(
        base_year=chosen.year,
        base_value=chosen.value,
        current_year=current.year,
        current_value=current.value,
        points=tuple(obs for obs in observations if obs.year >= chosen.year),
    )
    if current.year - chosen.year < 1:
        selection.reason = (
            f"not enough data: only one year ({chosen.year}) from the base year on; at least two are needed"
        )
    return selection


def _fallback_warning(requested: int, selection: _Selection) -> list[str]:
    if selection.base_year is not None and selection.base_year != requested and selection.reason is None:
        return [f"base year {requested} has no data; used the first later year with data, {selection.base_year}"]
    return []


# --- cagr method -------------------------------------------------------------------------------


def assess_cagr(
    observations: Mapping[int | str, float | None] | Iterable[tuple[int | str, float | None]],
    *,
    direction: str | int,
    target: float | None = None,
    target_year: int = DEFAULT_TARGET_YEAR,
    base_year: int = DEFAULT_BASE_YEAR,
    limit: float | None = None,
) -> ProgressResult:
    """The Open SDG 2.4 progress measure for one series (reference §3-§6), plus projection.

    Method 1 (no target): v = s·d·CAGR_i against 0.015 / 0.005 / 0 (scaled by the natural-limit
    factor C when ``limit`` is set). Method 2 (target): v = s·d·CAGR_i / |CAGR_T| against
    0.95 / 0.6 / 0. Target achieved is checked first and scores 5. Also reports the projection
    ŷ(tT) = yi·(1 + CAGR_i)^(tT − ti) and the CAGR needed from the current value to the target.
    """
    d = parse_direction(direction)
    points = normalise_observations(observations)
    warnings: list[str] = []
    selection = _select(points, base_year)
    warnings += _fallback_warning(base_year, selection)

    target_used = target
    if target is not None and target == 0:
        # Rule (reference §3.5): "a target of 0 becomes 0.001 (with a warning)".
        target_used = 0.001
        warnings.append("target is 0, which the growth-rate method cannot use; calculated with 0.001 instead")
    method_number = 1 if target_used is None else 2
    limit_used = limit
    if limit is not None and target_used is not None:
        # Rule (reference §5): "If both limit and target are set, the limit is ignored with a warning."
        limit_used = None
        warnings.append(f"limit {limit} ignored because a target ({target}) is set; the limit applies only without one")

    base_value = selection.base_value
    sign: int | None = None
    if base_value is not None:
        sign = -1 if base_value < 0 else 1
        if base_value == 0:
            # Rule (reference §3.5): "A base value of 0 becomes 0.001 (with a warning)".
            base_value = 0.001
            warnings.append("base value is 0, which the growth-rate method cannot use; calculated with 0.001 instead")

    thresholds = Thresholds(0.95, 0.6, 0.0) if method_number == 2 else Thresholds(0.015, 0.005, 0.0)
    coefficient: float | None = None
    if method_number == 1 and limit_used is not None and base_value is not None:
        if d == -1 and base_value < limit_used:
            warnings.append(f"base value {base_value} is below the minimum limit {limit_used}; results may mislead")
        if d == 1 and base_value > limit_used:
            warnings.append(f"base value {base_value} is above the maximum limit {limit_used}; results may mislead")
        coefficient = limit_coefficient(base_value, limit_used)
        thresholds = Thresholds(
            thresholds.high * coefficient, thresholds.med * coefficient, thresholds.low * coefficient
        )

    # Judged against the target as stated: 0.001 stands in for 0 only inside the growth rate, so a
    # current value of 0 meets a target of 0 (the sdg-build code compares with 0.001 instead).
    achieved = selection.current_value is not None and _target_achieved(selection.current_value, target, d)
    cagr_current: float | None = None
    cagr_target: float | None = None
    progress_value: float | None = None
    reason = selection.reason
    if reason is None and base_value is not None and selection.current_value is not None:
        current_value = selection.current_value
        if (base_value > 0 > current_value) or (base_value < 0 < current_value):
            reason = (
                f"base value {base_value} and current value {current_value} have opposite signs; "
                "the growth-rate method needs both positive or both negative"
            )
    if reason is None:
        assert selection.base_year is not None and selection.current_year is not None
        assert base_value is not None and selection.current_value is not None and sign is not None
        cagr_current = cagr(selection.current_value, base_value, selection.current_year, selection.base_year)
        if method_number == 1:
            progress_value = None if cagr_current is None else sign * d * cagr_current
        else:
            assert target_used is not None
            if target_year <= selection.base_year:
                reason = f"target year {target_year} is not after the base year {selection.base_year}"
            else:
                cagr_target = cagr(target_used, base_value, target_year, selection.base_year)
                if cagr_target is None:
                    reason = (
                        f"target {target_used} and base value {base_value} have opposite signs; "
                        "no growth rate leads from one to the other"
                    )
                elif cagr_current is not None:
                    progress_value = _ratio(sign * d * cagr_current, abs(cagr_target))
                    if progress_value is None:
                        reason = "the base value already equals the target, so the required growth is 0 (0/0)"
    if reason is not None:
        warnings.append(reason)

    status = status_from_value(progress_value, thresholds, target_achieved=achieved)
    score: float | None
    if achieved:
        score = 5.0
    elif progress_value is None:
        score = None
    elif method_number == 1:
        score = method1_score(progress_value, thresholds, 1.0 if coefficient is None else coefficient)
    else:
        score = method2_score(progress_value)

    projection = _cagr_projection(selection, cagr_current, target_year, warnings)
    required_rate = _cagr_required(selection, target_used, target_year, achieved)

    components = Components(
        method="cagr",
        calculation="method 2 (target)" if method_number == 2 else "method 1 (no target)",
        direction=d,
        base_year_requested=base_year,
        base_year=selection.base_year,
        base_value_observed=selection.base_value,
        base_value=base_value,
        current_year=selection.current_year,
        current_value=selection.current_value,
        target_given=target,
        target=target_used,
        target_year=target_year,
        sign=sign,
        limit_given=limit,
        limit=limit_used,
        coefficient=coefficient,
        thresholds=thresholds,
        cagr_current=cagr_current,
        cagr_target=cagr_target,
        trend_years=(),
        trend_per_year=None,
        path_value_now=None,
        delivered=None,
        path_share=None,
        target_achieved=achieved,
        progress_value=progress_value,
        projection=projection,
        required_rate=required_rate,
        status=status,
        score=score,
        warnings=tuple(warnings),
    )
    return _result(components)


def _ratio(numerator: float, denominator: float) -> float | None:
    # Matches the floating-point outcome upstream: x/0 is ±infinity, 0/0 is undefined.
    if denominator == 0:
        if numerator == 0 or math.isnan(numerator):
            return None
        return math.copysign(math.inf, numerator)
    value = numerator / denominator
    return None if math.isnan(value) else value


def _cagr_projection(
    selection: _Selection, cagr_current: float | None, target_year: int, warnings: list[str]
) -> float | None:
    """Reference §7: "ŷ(tT) = yi · (1 + CAGR_i)^(tT − ti)" (not computed by Open SDG)."""
    if cagr_current is None or selection.current_value is None or selection.current_year is None:
        return None
    if target_year < selection.current_year:
        warnings.append(
            f"target year {target_year} is before the latest data ({selection.current_year}); no projection"
        )
        return None
    value = selection.current_value * _power(1 + cagr_current, target_year - selection.current_year)
    return None if math.isnan(value) else value


def _cagr_required(selection: _Selection, target: float | None, target_year: int, achieved: bool) -> float | None:
    """The CAGR that would take the current value to the target by the target year."""
    if target is None or selection.current_value is None or selection.current_year is None:
        return None
    if target_year <= selection.current_year:
        return None
    return cagr(target, selection.current_value, target_year, selection.current_year)


def _result(components: Components) -> ProgressResult:
    return ProgressResult(
        method=components.method,
        status=components.status,
        score=components.score,
        progress_value=components.progress_value,
        base_year=components.base_year,
        base_value=components.base_value,
        current_year=components.current_year,
        current_value=components.current_value,
        target=components.target,
        target_year=components.target_year,
        direction=components.direction,
        target_achieved=components.target_achieved,
        projection=components.projection,
        required_rate=components.required_rate,
        warnings=components.warnings,
        components=components,
    )


# --- linear method -----------------------------------------------------------------------------

LINEAR_THRESHOLDS = Thresholds(0.95, 0.8, 0.0)


def linear_score(value: float) -> float:
    """Score in [-5, 5] for the linear method, on the same bands as Open SDG.

    Rule (ours, following Destatis): v is the projected movement by the deadline as a share of the
    current distance to the target. Missing by < 5 % (v ≥ 0.95) scores 2.5 to 5 (5 at 130 %,
    as in Open SDG method 2); 5-20 % (0.8 ≤ v < 0.95) scores 0 to 2.5; moving the right way but
    missing by more (0 ≤ v < 0.8) scores -2.5 to 0; moving away (v < 0) scores below -2.5, reaching
    -5 when moving away as fast as needed towards it (v = -1).
    """
    if value >= 0.95:
        return min(2.5 + (value - 0.95) * 2.5 / 0.35, 5.0)
    if value >= 0.8:
        return (value - 0.8) * 2.5 / 0.15
    if value >= 0:
        return -2.5 + value * 2.5 / 0.8
    return max(-2.5 + value * 2.5, -5.0)


def assess_linear(
    observations: Mapping[int | str, float | None] | Iterable[tuple[int | str, float | None]],
    *,
    direction: str | int,
    target: float,
    target_year: int = DEFAULT_TARGET_YEAR,
    base_year: int = DEFAULT_BASE_YEAR,
) -> ProgressResult:
    """Straight-line assessment for counts and cumulative targets (e.g. 215,000 homes by 2031).

    Rule (Destatis, German Sustainability Strategy): "the average of the last five annual changes
    is first calculated based on the most recent six data points ... a hypothetical target value
    is derived and compared with the politically defined target value"; the miss is measured as a
    share "of the difference between the target value and the current value": < 5 % on track,
    5-20 % on track (acceleration needed), > 20 % but moving the right way off track, moving away
    worst. Here: substantial, moderate, limited, deterioration; reaching the target is
    target_achieved. Zero and negative values are fine (no growth rate is taken). Also records
    the straight-line path from the baseline to the target and how much of it is delivered.
    """
    d = parse_direction(direction)
    if target is None:
        raise ValueError("the linear method needs a target and a target year; use the cagr method without a target")
    points = normalise_observations(observations)
    warnings: list[str] = []
    selection = _select(points, base_year)
    warnings += _fallback_warning(base_year, selection)
    reason = selection.reason
    achieved = selection.current_value is not None and _target_achieved(selection.current_value, target, d)

    trend_years: tuple[int, ...] = ()
    trend: float | None = None
    path_now = delivered = path_share = projection = required = progress_value = None
    if reason is None:
        assert selection.base_year is not None and selection.base_value is not None
        assert selection.current_year is not None and selection.current_value is not None
        t0, y0 = selection.base_year, selection.base_value
        ti, yi = selection.current_year, selection.current_value
        window = selection.points[-LINEAR_WINDOW_POINTS:]
        trend_years = tuple(obs.year for obs in window)
        # With annual data this is exactly the mean of the last five annual changes; with gaps it
        # is the mean change per year over the same span.
        trend = (window[-1].value - window[0].value) / (window[-1].year - window[0].year)
        if len(window) < LINEAR_WINDOW_POINTS:
            warnings.append(
                f"trend taken from {len(window)} data points since the base year; the Destatis rule uses six"
            )
        delivered = yi - y0
        if target_year > t0:
            path_now = y0 + (target - y0) * (ti - t0) / (target_year - t0)
            path_share = _ratio(delivered, path_now - y0)
        if target_year >= ti:
            projection = yi + trend * (target_year - ti)
        else:
            warnings.append(f"target year {target_year} is before the latest data ({ti}); no projection")
        if target_year > ti:
            required = (target - yi) / (target_year - ti)
            if not achieved:
                progress_value = d * (projection - yi) / abs(target - yi)  # type: ignore[operator]
        elif not achieved:
            reason = f"target year {target_year} has passed and the target {target} was not reached"
    if reason is not None:
        warnings.append(reason)

    status = status_from_value(progress_value, LINEAR_THRESHOLDS, target_achieved=achieved)
    score = 5.0 if achieved else (None if progress_value is None else linear_score(progress_value))
    components = Components(
        method="linear",
        calculation="straight line from the average of the last five annual changes (Destatis)",
        direction=d,
        base_year_requested=base_year,
        base_year=selection.base_year,
        base_value_observed=selection.base_value,
        base_value=selection.base_value,
        current_year=selection.current_year,
        current_value=selection.current_value,
        target_given=target,
        target=target,
        target_year=target_year,
        sign=None,
        limit_given=None,
        limit=None,
        coefficient=None,
        thresholds=LINEAR_THRESHOLDS,
        cagr_current=None,
        cagr_target=None,
        trend_years=trend_years,
        trend_per_year=trend,
        path_value_now=path_now,
        delivered=delivered,
        path_share=path_share,
        target_achieved=achieved,
        progress_value=progress_value,
        projection=projection,
        required_rate=required,
        status=status,
        score=score,
        warnings=tuple(warnings),
    )
    return _result(components)


def assess(
    observations: Mapping[int | str, float | None] | Iterable[tuple[int | str, float | None]],
    *,
    direction: str | int,
    method: Method = "cagr",
    target: float | None = None,
    target_year: int = DEFAULT_TARGET_YEAR,
    base_year: int = DEFAULT_BASE_YEAR,
    limit: float | None = None,
) -> ProgressResult:
    """Assess one series with the chosen method (``cagr``, the default, or ``linear``).

    ``direction`` is required ("increase"/"decrease", or "positive"/"negative"); ``linear`` needs a
    target and takes no ``limit``. Raises ``ValueError`` on a bad direction, method or combination.
    """
    if method == "cagr":
        return assess_cagr(
            observations,
            direction=direction,
            target=target,
            target_year=target_year,
            base_year=base_year,
            limit=limit,
        )
    if method == "linear":
        if target is None:
            raise ValueError("the linear method needs a target (and a target year); add --target")
        if limit is not None:
            raise ValueError("a natural limit applies only to the cagr method without a target; drop --limit")
        return assess_linear(
            observations, direction=direction, target=target, target_year=target_year, base_year=base_year
        )
    raise ValueError(f"method {method!r} is not known: use 'cagr' or 'linear'")
