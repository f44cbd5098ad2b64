"""The plan's standards as checks: job guarantee, fair-work procurement, public interest test, employers.

Pure Python (no Django): each module takes plain values or a file path and returns typed results
with ``to_dict()``. Criteria lists, weights and charters are data under ``data/standards``.
"""

from __future__ import annotations

from recovery_tracker.engine.standards.tabular import StandardsInputError

__all__ = ["StandardsInputError"]
