"""Writes of the search index: rebuild it from the data, or mark it stale when the data changes."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection, transaction
from django.utils import timezone

from recovery_tracker.catalogue.models import Fact, Organisation, Plan, Recommendation
from recovery_tracker.indicators.models import Indicator
from recovery_tracker.progress import selectors as progress_selectors
from recovery_tracker.progress.models import State, Update, Voice
from recovery_tracker.search.models import Kind, SearchEntry, SearchIndexState


def _spaced(values: list[str]) -> str:
    """' a b c ': each value found by one "contains ' a '" filter."""
    return " " + " ".join(sorted(set(v for v in values if v))) + " " if values else ""


def _recommendation_entries() -> Iterator[SearchEntry]:
    for plan in Plan.objects.all():
        recs = list(Recommendation.objects.filter(plan=plan, retired=False).select_related("plan", "section")
                    .prefetch_related("themes", "criteria", "targets", "addressees__organisation"))
        states = progress_selectors.recommendation_states_as_at(recs)
        for rec in recs:
            state = states[rec.pk]
            statuses = [s for b in state.bodies for s in (b.self_report.status, b.assessment.status)]
            bodies = [a.organisation.name for a in rec.addressees.all()]
            yield SearchEntry(
                kind=Kind.RECOMMENDATION, key=f"recommendation:{rec.pk}", title=f"{rec.slug} {rec.title}",
                body="\n".join([rec.quote, rec.criteria_title, *(c.text for c in rec.criteria.all()),
                                *(t.description for t in rec.targets.all())]),
                url=rec.get_absolute_url(),
                meta=f"Section {rec.section.number} {rec.section.title} · for " + ", ".join(bodies),
                plan_slug=plan.slug, section=rec.section.number,
                themes=_spaced([t.slug for t in rec.themes.all()]),
                bodies=_spaced([a.organisation.slug for a in rec.addressees.all()]),
                statuses=_spaced(statuses), order=rec.order,
            )


def _update_entries() -> Iterator[SearchEntry]:
    updates = list(Update.objects.filter(state=State.PUBLISHED).select_related(
        "recommendation__plan", "recommendation__section", "organisation", "body",
    ).prefetch_related("links", "recommendation__themes", "recommendation__addressees__organisation"))
    # A corrected version stays in the history but is not what a search should find.
    corrected = {u.corrects_id for u in updates if u.corrects_id}
    for order, update in enumerate(sorted(updates, key=lambda u: (u.date, u.title, u.pk), reverse=True)):
        if update.pk in corrected or update.recommendation.retired:
            continue
        rec = update.recommendation
        narrative = update.narrative
        title = update.title or " ".join(narrative.split()[:14])
        bodies = [update.organisation.slug] + ([update.body.slug] if update.body_id else
                                                [a.organisation.slug for a in rec.addressees.all()])
        about = f" about {update.body.label}" if update.body_id else ""
        yield SearchEntry(
            kind=Kind.EVIDENCE if update.voice == Voice.EVIDENCE else Kind.UPDATE,
            key=f"update:{update.pk}", title=title,
            body="\n".join([narrative, *(link.title for link in update.links.all())]),
            url=update.get_absolute_url(),
            meta=f"{update.date_display} · {update.get_voice_display()} by {update.organisation.label}{about}"
                 f" · recommendation {rec.slug}",
            plan_slug=rec.plan.slug, section=rec.section.number,
            themes=_spaced([t.slug for t in rec.themes.all()]), bodies=_spaced(bodies),
            statuses=_spaced([update.status]) if update.status else "", voice=update.voice, date=update.date,
            order=order,
        )


def _organisation_entries() -> Iterator[SearchEntry]:
    for order, organisation in enumerate(Organisation.objects.prefetch_related("states")):
        yield SearchEntry(
            kind=Kind.ORGANISATION, key=f"organisation:{organisation.pk}", title=organisation.name,
            body="\n".join([organisation.short_name, *(f"{s.state} {s.note}" for s in organisation.states.all())]),
            url=organisation.get_absolute_url(), meta=organisation.short_name or "",
            bodies=_spaced([organisation.slug]), order=order,
        )


def _indicator_entries() -> Iterator[SearchEntry]:
    for order, indicator in enumerate(Indicator.objects.all()):
        yield SearchEntry(
            kind=Kind.INDICATOR, key=f"indicator:{indicator.pk}", title=indicator.name,
            body="\n".join([indicator.definition, indicator.source, indicator.caveat]),
            url=indicator.get_absolute_url(), meta=f"Source: {indicator.source}"[:500], order=order,
        )


def _figure_entries() -> Iterator[SearchEntry]:
    for fact in Fact.objects.select_related("plan", "section"):
        yield SearchEntry(
            kind=Kind.FIGURE, key=f"figure:{fact.pk}", title=fact.statement[:500],
            body="\n".join([fact.source, fact.note, fact.geography]),
            url=f"{fact.section.get_absolute_url()}#fact-{fact.slug}",
            meta=f"Section {fact.section.number} · {fact.geography}" + (f" · {fact.as_of}" if fact.as_of else ""),
            plan_slug=fact.plan.slug, section=fact.section.number, order=fact.order,
        )


def _fts_available() -> bool:
    return connection.vendor == "sqlite"


def search_index_rebuild() -> int:
    """Replace the whole index with what the data says now; returns the number of entries.

    Runs in one transaction holding the state row, so two rebuilds never interleave and a
    reader sees either the old index or the new one."""
    with transaction.atomic():
        state, _ = SearchIndexState.objects.select_for_update().get_or_create(pk=1)
        SearchEntry.objects.all().delete()
        entries = [*_recommendation_entries(), *_update_entries(), *_organisation_entries(),
                   *_indicator_entries(), *_figure_entries()]
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        if _fts_available():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_fts")
                cursor.execute(
                    "INSERT INTO search_fts (rowid, title, body) SELECT id, title, body FROM search_searchentry"
                )
        state.stale = False
        state.rebuilt_at = timezone.now()
        state.entries = len(entries)
        state.save()
    return len(entries)


def search_index_mark_stale() -> None:
    """Called on every change to indexed data (see ``signals``), inside the change's transaction."""
    if not SearchIndexState.objects.filter(pk=1, stale=True).exists():
        SearchIndexState.objects.update_or_create(pk=1, defaults={"stale": True})


def search_index_refresh() -> bool:
    """Rebuild the index if the data changed since the last rebuild; True if it did."""
    state = SearchIndexState.objects.filter(pk=1).first()
    if state is not None and not state.stale:
        return False
    search_index_rebuild()
    return True


