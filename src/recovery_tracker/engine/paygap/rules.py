"""The pay-gap rules, one small function each, quoting the rule they implement.

Sources: SI 2017/172 (the Regs), GOV.UK "Making your calculations" and the project rules in
``shared/reference/paygap.md``. Values are exact ``Fraction`` until published.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "MONEY_SCALE",
    "SEX_VALUES",
    "NOT_DISCLOSED_VALUES",
    "band_sizes",
    "gap_percent",
    "share_percent",
    "round_published",
    "largest_remainder",
    "allocate_tie",
    "band_overlaps",
]

# Money is held as whole millionths of a pound: sums stay exact integers and a millionth of a
# pound is far below any difference that could move a published figure.
MONEY_SCALE = 1_000_000

SEX_VALUES: Mapping[str, str] = {
    **dict.fromkeys(["m", "male", "man", "men", "boy"], "male"),
    **dict.fromkeys(["f", "female", "woman", "women", "girl"], "female"),
}
NOT_DISCLOSED_VALUES = frozenset(
    {
        "",
        "prefer not to say",
        "prefer not to disclose",
        "not disclosed",
        "not known",
        "unknown",
        "not stated",
        "not recorded",
        "declined",
        "n/a",
        "na",
        "none given",
        "refused",
    }
)


def band_sizes(n: int) -> tuple[int, int, int, int]:
    """Sizes of the lower, lower middle, upper middle and upper quarter pay bands.

    GOV.UK guidance (remainder rule, n = 4q + r): r=1 adds one to the lower band; r=2 to the lower
    and upper middle; r=3 to the lower, lower middle and upper middle. "Do not create your pay
    groups in any other way".
    """
    q, r = divmod(n, 4)
    return (q + (r >= 1), q + (r >= 3), q + (r >= 2), q)


def gap_percent(reference: Fraction, comparison: Fraction) -> Fraction | None:
    """Gap as a percentage of the reference group's figure, positive when the comparison is paid less.

    Reg 8: "(A − B) / A × 100" where A is the men's figure and B the women's; regs 9–11 have the same
    shape. Undefined (None) when A is zero.
    """
    if reference == 0:
        return None
    return (reference - comparison) / reference * 100


def share_percent(part: int, whole: int) -> Fraction | None:
    """``part`` as a percentage of ``whole`` (reg 12 bonus proportions, reg 13 band shares)."""
    if whole == 0:
        return None
    return Fraction(part * 100, whole)


def round_published(value: Fraction | None) -> Decimal | None:
    """Round to one decimal place, half to even, for publication.

    Guidance: report whole percentages or one decimal place; the GOV.UK service rejects more than
    one. Half-even on exact values keeps each band's male + female at exactly 100.0.
    """
    if value is None:
        return None
    # round() on a Fraction is exact and rounds halves to even.
    return Decimal(round(value * 10)).scaleb(-1)


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` so the parts add up (Hamilton's method).

    Project rule (§7): "band k gets round(n_k × men_in_tie ÷ tie_size) men, using largest-remainder
    rounding so the counts add up". Equal remainders go to the earlier (lower) band.
    """
    weight_sum = sum(weights)
    if weight_sum == 0:
        return [0 for _ in weights]
    quotas = [Fraction(total * w, weight_sum) for w in weights]
    parts = [int(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def allocate_tie(band_counts: Sequence[int], category_counts: Mapping[str, int]) -> dict[str, list[int]]:
    """Spread one tie group (employees on the same hourly rate) across the bands it straddles.

    Reg 13(2): employees on the same rate who straddle bands are ranked so that, as far as possible,
    each band has the same mix as the tie group. With two categories this is exactly the project
    rule (largest remainder on the first category). With more (ethnicity, disability with "not
    disclosed") every cell is the floor or ceiling of its exact share and both the band sizes and
    the category totals are kept: a controlled rounding that always exists for a two-way table.
    """
    categories = list(category_counts)
    tie_size = sum(category_counts.values())
    if sum(band_counts) != tie_size:
        raise ValueError("band counts must add up to the size of the tie group")
    if len(categories) <= 2:
        first = categories[0] if categories else None
        result: dict[str, list[int]] = {}
        if first is None:
            return result
        first_parts = largest_remainder(category_counts[first], band_counts)
        result[first] = first_parts
        if len(categories) == 2:
            result[categories[1]] = [n - m for n, m in zip(band_counts, first_parts, strict=True)]
        return result
    return _controlled_rounding(list(band_counts), [category_counts[c] for c in categories], categories)


def _controlled_rounding(
    rows: list[int], columns: list[int], names: list[str]
) -> dict[str, list[int]]:
    total = sum(rows)
    exact = [[Fraction(r * c, total) for c in columns] for r in rows]
    cells = [[int(x) for x in row] for row in exact]
    row_need = [r - sum(row) for r, row in zip(rows, cells, strict=True)]
    col_need = [c - sum(cells[i][j] for i in range(len(rows))) for j, c in enumerate(columns)]
    # Only cells with a fractional share may be rounded up; larger fractions are tried first.
    candidates = {
        i: sorted(
            (j for j in range(len(columns)) if exact[i][j] != cells[i][j]),
            key=lambda j, i=i: (-(exact[i][j] - cells[i][j]), j),  # type: ignore[misc]  # i bound per row
        )
        for i in range(len(rows))
    }
    # Bipartite matching of row "slots" to column "slots" by augmenting paths (tiny: ≤ 4 rows).
    owner: dict[int, list[int]] = {j: [] for j in range(len(columns))}

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen or i in owner[j]:
                continue
            seen.add(j)
            if len(owner[j]) < col_need[j]:
                owner[j].append(i)
                return True
            for other in list(owner[j]):
                owner[j].remove(other)
                owner[j].append(i)
                if augment(other, seen):
                    return True
                owner[j].remove(i)
                owner[j].append(other)
        return False

    for i in range(len(rows)):
        for _ in range(row_need[i]):
            if not augment(i, set()):
                raise ArithmeticError("no controlled rounding found for a tie group")
    for j, owners in owner.items():
        for i in owners:
            cells[i][j] += 1
    return {name: [cells[i][j] for i in range(len(rows))] for j, name in enumerate(names)}


def band_overlaps(start: int, stop: int, sizes: Sequence[int]) -> list[int]:
    """How many of the ranked positions ``start``..``stop - 1`` fall in each band."""
    overlaps: list[int] = []
    edge = 0
    for size in sizes:
        low, high = edge, edge + size
        overlaps.append(max(0, min(stop, high) - max(start, low)))
        edge = high
    return overlaps
