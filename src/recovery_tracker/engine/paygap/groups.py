"""Ethnicity and disability categories: which written values fall in which group.

Rules run on the distinct values a file contains (a few dozen), never row by row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .rules import FALSE_VALUES, NOT_DISCLOSED_VALUES, TRUE_VALUES

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
    if label in TRUE_VALUES or label in {"disabled", "has a disability", "yes disabled", "d"}:
        return DISABLED
    if label in FALSE_VALUES or label in {"not disabled", "non disabled", "no disability", "nd"}:
        return NON_DISABLED
    return NOT_DISCLOSED
