"""Keep the index honest: a save or delete of anything indexed marks it stale.

The mark is written inside the same transaction as the change, so a rolled-back change leaves the
index as it was, and a committed one is picked up by the next search (or by `setup`).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from recovery_tracker.catalogue.models import (
    Addressee,
    Criterion,
    Fact,
    Organisation,
    Plan,
    Recommendation,
    Section,
    Target,
)
from recovery_tracker.indicators.models import Indicator
from recovery_tracker.progress.models import EvidenceLink, Update

WATCHED = (Plan, Section, Recommendation, Addressee, Criterion, Target, Fact, Organisation, Indicator, Update,
           EvidenceLink)


def _mark_stale(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures loading: the rebuild after loading covers them
        return
    from recovery_tracker.search.services import search_index_mark_stale

    search_index_mark_stale()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_mark_stale, sender=model, dispatch_uid=f"search-stale-save-{model.__name__}")
        post_delete.connect(_mark_stale, sender=model, dispatch_uid=f"search-stale-delete-{model.__name__}")
    m2m_changed.connect(_mark_stale, sender=Recommendation.themes.through, dispatch_uid="search-stale-themes")
