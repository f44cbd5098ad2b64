"""Map a text column's few distinct values to new values, per distinct value rather than per row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import polars as pl

if TYPE_CHECKING:
    from .groups import Coding

__all__ = ["recode", "categories_of", "coding_expr"]

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
    return column.replace_strict(mapping, default=cast(Any, default), return_dtype=dtype)


def categories_of(dtype: pl.DataType) -> list[str | None] | None:
    """Each category id's text (None for ids not in use), or None if the column is not categorical.

    For a Categorical column these are all the categories the process has seen, in any column: a
    superset of the column's own values, known without a pass over the rows. A process that has seen
    more than ``_MAX_LOOKUP`` (a long-running server) gets None too: no large lookup tables.
    """
    if isinstance(dtype, pl.Enum):
        return list(dtype.categories.to_list())
    if isinstance(dtype, pl.Categorical):
        ids = dtype.categories.to_dict()
        if len(ids) > _MAX_LOOKUP:
            return None
        categories: list[str | None] = [None] * (max(ids.values(), default=-1) + 1)
        for value, index in ids.items():
            categories[index] = value
        return categories
    return None


def coding_expr(coding: Coding, series: pl.Series) -> pl.Expr:
    """Each row's code under ``coding`` (UInt8): a lookup by category id, or by value for other columns."""
    categories = categories_of(series.dtype)
    column = pl.col(series.name)
    if categories is None:
        values = series.cast(pl.String).unique().drop_nulls().to_list()
        mapping = {value: coding.code_of(value) for value in values}
        return (
            column.cast(pl.String)
            .replace_strict(mapping, default=coding.code_of(None), return_dtype=pl.UInt8)
            .fill_null(coding.code_of(None))
            .alias(series.name)
        )
    table = pl.Series([coding.code_of(value) if value is not None else 0 for value in categories], dtype=pl.UInt8)
    return pl.lit(table).gather(column.to_physical()).fill_null(coding.code_of(None)).alias(series.name)
