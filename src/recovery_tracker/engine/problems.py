"""The one way to say "this input has a problem at this place": every reader of a file or form
(plans, registries, assessments, indicator tables, progress imports, payrolls, the standards checks)
reports a list of :class:`Problem` and, when nothing can be used, raises a :class:`ProblemsFound`.

A problem names as much of its place as is known, in the order a person looks for it: the file, the
named item in it (a recommendation, an organisation), the row and line, the column or field, then
what is wrong and how to fix it, and the value found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Problem", "ProblemsFound"]


@dataclass(frozen=True)
class Problem:
    """One problem: where it is and how to fix it.

    ``row`` is the row a person sees (in a spreadsheet the header is row 1, unless the reader says
    otherwise); ``line`` the text line when it differs from the row; ``item`` a named thing in a
    structured file ("recommendation 3.2-o") and ``field`` one of its fields or a form's field.
    """

    message: str
    file: str | None = None
    item: str | None = None
    row: int | None = None
    line: int | None = None
    column: str | None = None
    field: str | None = None
    value: str | None = None

    @property
    def place(self) -> str:
        """Where, as a person would say it: "plan.yaml, row 3, column date"."""
        parts = [part for part in (self.file, self.item) if part]
        if self.row is not None:
            parts.append(f"row {self.row}" + (f" (line {self.line})" if self.line is not None else ""))
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{self.place}: {self.message}{shown}" if self.place else self.message + shown

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "item": self.item, "row": self.row, "line": self.line, "column": self.column,
                "field": self.field, "value": self.value, "message": self.message}


class ProblemsFound(ValueError):
    """The input cannot be used; ``problems`` lists every problem found (up to a reader's limit) and
    ``total`` how many there were. Nothing was produced or stored.

    Readers raise a subclass named for what was refused (``PlanError``, ``PayrollFileError``, ...), so a
    caller can catch exactly that, or any refused input as ``ProblemsFound``.
    """

    def __init__(self, problems: Iterable[Problem], *, total: int | None = None, message: str | None = None) -> None:
        self.problems = list(problems)
        self.total = max(total or 0, len(self.problems))
        super().__init__(message if message is not None else self.summary())

    def heading(self) -> str:
        return f"{self.total} problem{'s' if self.total != 1 else ''}:"

    def summary(self, limit: int = 20) -> str:
        """The heading, then one line per problem (up to ``limit``)."""
        lines = [self.heading()]
        lines.extend(f"  - {problem}" for problem in self.problems[:limit])
        if self.total > limit:
            lines.append(f"  ... and {self.total - limit} more")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[Any, ...]:
        # Checks run in a child process (measures/limited.py); a refusal comes back pickled, whole.
        return (_rebuild, (type(self), self.__dict__.copy(), self.args))


def _rebuild(cls: type[ProblemsFound], state: dict[str, Any], args: tuple[Any, ...]) -> ProblemsFound:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = args
    return error
