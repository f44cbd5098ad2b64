"""Problems found in a payroll file, reported together so a user can fix them in one go.

Each is an :class:`~recovery_tracker.engine.problems.Problem`: ``row`` is the 1-based data row (the
first row after the header is row 1); ``line`` is the line or spreadsheet row the user sees (row + 1
for a file with one header line), or None for problems about the whole file such as a missing column.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..problems import Problem, ProblemsFound

__all__ = ["PayrollFileError"]


class PayrollFileError(ProblemsFound):
    """A payroll file that cannot give figures. ``problems`` lists them (up to a limit), ``total`` all."""

    def __init__(self, path: str, problems: Iterable[Problem] = (), total: int = 0) -> None:
        self.path = path
        super().__init__(problems, total=total)

    def heading(self) -> str:
        return f"{self.path}: {self.total} problem(s); no figures were produced."
