"""What a panel is: a part of a catalogue page (plan, recommendation, organisation) that another app
fills. The apps' panel functions return one; ``web/pages.py`` lists, per page, which appear and in
what order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[[HttpRequest, Any], Panel | None]
