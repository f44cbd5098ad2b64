"""Cross-checks of the figures a plan states. They flag; they never correct.

Two kinds of check:
- ``sum``: do the parts add up to the stated total, allowing for the rounding of each stated figure?
- ``same_population``: can two counts quoted with the same share describe the same population?
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

__all__ = [
    "FigureCheckResult",
    "OUTCOME_LABELS",
    "StatedFigure",
    "check_same_population",
    "check_sum",
    "rounding_unit",
]

Outcome = Literal["holds", "rounding_difference", "may_overlap_or_be_incomplete", "different_populations",
                  "inconsistent"]


OUTCOME_LABELS: dict[str, str] = {
    "holds": "Holds",
    "rounding_difference": "Rounding difference",
    "may_overlap_or_be_incomplete": "Groups may overlap or be incomplete",
    "different_populations": "Cannot describe the same population",
    "inconsistent": "Does not add up",
}


@dataclass(frozen=True)
class StatedFigure:
    id: str
    value: float
    unit: str = ""
    qualifier: str = "exact"  # exact | approximately | over | under | some
    geography: str = ""


@dataclass(frozen=True)
class FigureCheckResult:
    check_id: str
    kind: str
    outcome: Outcome
    message: str
    facts: tuple[str, ...]
    computed: float | None
    stated: float | None

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["facts"] = list(self.facts)
        data["label"] = OUTCOME_LABELS[self.outcome]
        return data


def rounding_unit(value: float) -> float:
    """The rounding a stated figure shows: 122,800 → 100; 471 → 1; 0.32 → 0.01.

    A figure printed as 122,800 may stand for anything from 122,750 to 122,849.
    """
    if value == 0:
        return 1.0
    if float(value).is_integer():
        unit = 1
        number = abs(int(value))
        while number % (unit * 10) == 0:
            unit *= 10
        return float(unit)
    decimals = len(repr(float(value)).split(".")[1].rstrip("0"))
    return 10.0 ** -decimals


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def check_sum(check_id: str, parts: list[StatedFigure], total: StatedFigure) -> FigureCheckResult:
    """Do ``parts`` add up to ``total``?

    - exact total: equal → holds; within the combined rounding of the stated figures (half a unit
      each) → rounding difference; otherwise inconsistent.
    - "over N" total: a sum above N holds; a sum at or below N means the groups may overlap or be
      incomplete (the total counts people the parts leave out, or the parts are not exhaustive).
    """
    computed = sum(part.value for part in parts)
    ids = tuple(part.id for part in parts) + (total.id,)
    shown = " + ".join(_fmt(part.value) for part in parts)
    if total.qualifier in {"over", "under"}:
        bound_ok = computed > total.value if total.qualifier == "over" else computed < total.value
        if bound_ok:
            return FigureCheckResult(check_id, "sum", "holds",
                                     f"{shown} = {_fmt(computed)}, consistent with “{total.qualifier} "
                                     f"{_fmt(total.value)}”.", ids, computed, total.value)
        return FigureCheckResult(
            check_id, "sum", "may_overlap_or_be_incomplete",
            f"{shown} = {_fmt(computed)}, against “{total.qualifier} {_fmt(total.value)}”: the groups may "
            "overlap or be incomplete, so they cannot be added up to the total.",
            ids, computed, total.value,
        )
    difference = computed - total.value
    if difference == 0:
        return FigureCheckResult(check_id, "sum", "holds", f"{shown} = {_fmt(computed)}, as stated.",
                                 ids, computed, total.value)
    tolerance = sum(rounding_unit(figure.value) / 2 for figure in (*parts, total))
    if abs(difference) <= tolerance:
        return FigureCheckResult(
            check_id, "sum", "rounding_difference",
            f"{shown} = {_fmt(computed)}, against the stated {_fmt(total.value)}: a difference of "
            f"{_fmt(abs(difference))}, within the rounding of the stated figures.",
            ids, computed, total.value,
        )
    return FigureCheckResult(
        check_id, "sum", "inconsistent",
        f"{shown} = {_fmt(computed)}, against the stated {_fmt(total.value)}: a difference of "
        f"{_fmt(abs(difference))} that rounding cannot explain.",
        ids, computed, total.value,
    )


def check_same_population(
    check_id: str, counts: list[StatedFigure], share: StatedFigure
) -> FigureCheckResult:
    """Can every count be ``share`` per cent of one and the same population?

    Each count implies a population of count ÷ share. If the implied populations differ by more
    than the rounding of the count and of the share allows, the figures describe different
    populations (for example, a region and one city), whatever the text suggests.
    """
    ids = tuple(count.id for count in counts) + (share.id,)
    fraction = share.value / 100 if share.unit in {"percent", "%"} or share.value > 1 else share.value
    half_share = rounding_unit(share.value) / 2 / (100 if fraction != share.value else 1)
    ranges = []
    for count in counts:
        half_count = rounding_unit(count.value) / 2
        low = (count.value - half_count) / (fraction + half_share)
        high = (count.value + half_count) / max(fraction - half_share, 1e-12)
        ranges.append((count, low, high))
    overlap = max(low for _, low, _ in ranges) <= min(high for _, _, high in ranges)
    implied = "; ".join(f"{_fmt(c.value)} implies about {_fmt(round(c.value / fraction, -3))}"
                        for c, _, _ in ranges)
    if overlap:
        return FigureCheckResult(check_id, "same_population", "holds",
                                 f"At {share.value:g}%, {implied}: these can describe one population.",
                                 ids, None, share.value)
    return FigureCheckResult(
        check_id, "same_population", "different_populations",
        f"At {share.value:g}% of those in employment, {implied}: these cannot describe the same population. "
        "The extract does not say which area the smaller figure refers to.",
        ids, None, share.value,
    )
