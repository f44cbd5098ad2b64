"""Locating and reading the shipped standards data (YAML) with errors that name the file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from recovery_tracker.engine.problems import Problem
from recovery_tracker.engine.standards.tabular import StandardsInputError

__all__ = ["default_data_path", "read_yaml_mapping"]


def default_data_path(name: str) -> Path:
    """Path of a shipped file under ``data/standards``."""
    return Path(str(resources.files("recovery_tracker") / "data" / "standards" / name))


def read_yaml_mapping(path: Path | str) -> dict[str, Any]:
    """Read a YAML file whose top level is a mapping; ``StandardsInputError`` otherwise."""
    path = Path(path)
    if not path.exists():
        raise StandardsInputError([Problem(f"file not found: {path}. Check the path.", file=str(path))])
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise StandardsInputError(
            [Problem(f"is not valid YAML ({getattr(error, 'problem', error)}). Check indentation and colons.",
                       row=row, file=str(path))]
        ) from error
    if not isinstance(data, dict):
        raise StandardsInputError(
            [Problem("must be a YAML mapping (lines of 'key: value') at the top level.", file=str(path))]
        )
    return data
