"""Ethnicity and disability categories: which written values fall in which group.

Rules run on the distinct values a file contains (a few dozen), never row by row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..yes_no import NO, YES
from .rules import NOT_DISCLOSED_VALUES, SEX_VALUES

__all__ = [
    "NOT_DISCLOSED",
    "WHITE_BRITISH",
    "WHITE_BRITISH_SPELLINGS",
    "BROAD_GROUPS",
    "DISABLED",
    "NON_DISABLED",
    "OTHER_THAN_REFERENCE",
    "normalise_label",
    "is_not_disclosed",
    "broad_ethnic_group",
    "disability_group",
    "Coding",
    "SEX_CATEGORIES",
    "sex_coding",
    "ethnicity_coding",
    "disability_coding",
    "default_codings",
]

NOT_DISCLOSED = "Not disclosed"
WHITE_BRITISH = "White British"
OTHER_THAN_REFERENCE = "All other disclosed groups"
WHITE_BRITISH_SPELLINGS = frozenset(
    {
        "white british",
        "white english welsh scottish northern irish or british",
        "white english",
        "white welsh",
        "white scottish",
        "white northern irish",
        "british",
        "english welsh scottish northern irish or british",
    }
)
BROAD_GROUPS = (
    "White (other than White British)",
    "Mixed or multiple ethnic groups",
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Other ethnic group",
)
DISABLED = "Disabled"
NON_DISABLED = "Non-disabled"

# Order matters: "Mixed White and Black African" is Mixed before it is Black or White.
_BROAD_KEYWORDS = (
    (("mixed", "multiple"), BROAD_GROUPS[1]),
    (("black", "african", "caribbean"), BROAD_GROUPS[3]),
    (("asian", "indian", "pakistani", "bangladeshi", "chinese"), BROAD_GROUPS[2]),
    (("white", "irish", "gypsy", "traveller", "roma"), BROAD_GROUPS[0]),
)


def normalise_label(value: str | None) -> str:
    """Lower case, punctuation to spaces, single spaces: how written values are compared."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w/]+", " ", (value or "").lower())).strip()


def is_not_disclosed(value: str | None) -> bool:
    """Ethnicity guidance (26 May 2023): "prefer not to say" and non-response form their own category."""
    return normalise_label(value) in NOT_DISCLOSED_VALUES


def broad_ethnic_group(value: str | None, reference: Iterable[str] = (WHITE_BRITISH,)) -> str:
    """The 2021 Census aggregate for a written ethnicity, the reference group, or "Not disclosed".

    Census 2021 (England and Wales): five aggregates - Asian or Asian British; Black, Black British,
    Caribbean or African; Mixed or multiple; White; Other. White British is the reference group, so the
    White aggregate here is everyone White other than White British.
    """
    label = normalise_label(value)
    references = {normalise_label(r) for r in reference}
    if WHITE_BRITISH in reference:
        references |= WHITE_BRITISH_SPELLINGS
    if label in references:
        return next(iter(reference))
    if label in NOT_DISCLOSED_VALUES:
        return NOT_DISCLOSED
    words = set(label.replace("/", " ").split())
    for keywords, group in _BROAD_KEYWORDS:
        if words & set(keywords):
            return group
    return BROAD_GROUPS[4]


def disability_group(value: str | None) -> str:
    """Disabled, non-disabled, or not disclosed (Equality Act 2010 s.6 status as recorded)."""
    label = normalise_label(value)
    if label in YES or label in {"disabled", "has a disability", "yes disabled", "d"}:
        return DISABLED
    if label in NO or label in {"not disabled", "non disabled", "no disability", "nd"}:
        return NON_DISABLED
    return NOT_DISCLOSED


@dataclass(frozen=True)
class Coding:
    """How a grouping codes each written value: its position in ``categories`` (None = blank cell).

    Both routes of the engine use these: the Polars route recodes a column's categories with them, the
    one-pass scan builds its lookup tables from them. The categories are every group the rules can give,
    whether or not a file has anyone in it, so the coding never needs a pass over the rows.
    """

    name: str
    categories: tuple[str | None, ...]
    code_of: Callable[[str | None], int]


SEX_CATEGORIES: tuple[str | None, ...] = ("male", "female", None)


def sex_coding() -> Coding:
    """Male, female, or not recorded (any other spelling, or blank)."""

    def code_of(value: str | None) -> int:
        sex = SEX_VALUES.get(value.strip().lower()) if value is not None else None
        return SEX_CATEGORIES.index(sex) if sex in ("male", "female") else 2

    return Coding("sex", SEX_CATEGORIES, code_of)


def ethnicity_coding(reference: str = WHITE_BRITISH) -> Coding:
    """The reference group, the five broad groups and "Not disclosed" (``broad_ethnic_group``)."""
    categories = tuple(sorted({reference, *BROAD_GROUPS, NOT_DISCLOSED}))
    position = {group: index for index, group in enumerate(categories)}
    return Coding("ethnicity", categories, lambda value: position[broad_ethnic_group(value, (reference,))])


def disability_coding() -> Coding:
    """Non-disabled, disabled, or not disclosed (``disability_group``)."""
    categories = (NON_DISABLED, DISABLED, NOT_DISCLOSED)
    position = {group: index for index, group in enumerate(categories)}
    return Coding("disability", categories, lambda value: position[disability_group(value)])


def default_codings(*, has_ethnicity: bool, has_disability: bool) -> list[Coding]:
    """Sex, and ethnicity (White British as the reference) and disability when the file has them."""
    codings = [sex_coding()]
    if has_ethnicity:
        codings.append(ethnicity_coding())
    if has_disability:
        codings.append(disability_coding())
    return codings
