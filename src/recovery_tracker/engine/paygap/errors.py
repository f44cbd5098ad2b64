"""Problems found in a payroll file, reported together so a user can fix them in one go."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PayrollProblem", "PayrollFileError"]


@dataclass(frozen=True)
class PayrollProblem:
    """One problem: where it is and how to fix it.

    ``row`` is the 1-based data row (the first row after the header is row 1); ``line`` is the
    line or spreadsheet row the user sees (row + 1 for a file with one header line), or None for
    problems about the whole file such as a missing column.
    """

    message: str
    column: str | None = None
    row: int | None = None
    line: int | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}" + (f" (line {self.line})" if self.line is not None else ""))
        if self.column is not None:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{prefix}: {self.message}{shown}" if prefix else self.message + shown


@dataclass
class PayrollFileError(Exception):
    """A payroll file that cannot give figures. ``problems`` lists them (up to a limit)."""

    path: str
    problems: list[PayrollProblem] = field(default_factory=list)
    total: int = 0

    def __post_init__(self) -> None:
        self.total = max(self.total, len(self.problems))
        super().__init__(self.summary())

    def summary(self, limit: int = 20) -> str:
        lines = [f"{self.path}: {self.total} problem(s); no figures were produced."]
        lines.extend(f"  {problem}" for problem in self.problems[:limit])
        if self.total > limit:
            lines.append(f"  ... and {self.total - limit} more")
        return "\n".join(lines)
