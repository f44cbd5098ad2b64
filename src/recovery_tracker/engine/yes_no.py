"""The one yes/no vocabulary for every file the tracker reads (payrolls, placements, contracts,
charters). Lower-case spellings; ``1.0``/``0.0`` because spreadsheets store a typed 1 as a number."""

from __future__ import annotations

YES = frozenset({"true", "t", "yes", "y", "1", "1.0"})
NO = frozenset({"false", "f", "no", "n", "0", "0.0"})


def yes_no(text: str) -> bool | None:
    """True or False for a spelling above (any case, spaces around ignored); None for anything else."""
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None
