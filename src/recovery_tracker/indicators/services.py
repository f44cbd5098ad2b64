"""Writes to indicators: importing statistics, making targets from the plan, linking its facts."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from recovery_tracker.audit.services import audit_record
from recovery_tracker.catalogue.models import Fact, Plan, Target
from recovery_tracker.engine.problems import Problem, ProblemsFound
from recovery_tracker.engine.vintage import vintage_for
from recovery_tracker.indicators.importers import (
    IndicatorMeta,
    ObservationRow,
    indicator_slug,
    metadata_parse,
    rows_read,
)
from recovery_tracker.indicators.models import Indicator, IndicatorTarget, Observation

__all__ = [
    "ImportRejected",
    "ImportResult",
    "InputFile",
    "facts_link",
    "observations_import",
    "targets_sync",
]

Actor = AbstractBaseUser | AnonymousUser | None


class ImportRejected(ProblemsFound):
    """Nothing was imported; ``problems`` says where each problem is and how to fix it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems, message=f"{len(problems)} problem(s); nothing was imported")


@dataclass(frozen=True)
class InputFile:
    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: Path) -> InputFile:
        return cls(name=path.name, data=path.read_bytes())


@dataclass
class ImportResult:
    indicators_created: list[str] = field(default_factory=list)
    indicators_updated: list[str] = field(default_factory=list)
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.indicators_created or self.indicators_updated or self.created or self.revised)

    def summary(self) -> str:
        if not self.changed:
            return f"{self.unchanged} observations already up to date; nothing changed."
        parts = []
        if self.indicators_created:
            parts.append(f"created {len(self.indicators_created)} indicators")
        if self.indicators_updated:
            parts.append(f"updated {len(self.indicators_updated)} indicators")
        parts.append(f"added {self.created} observations")
        parts.append(f"stored {self.revised} revisions")
        parts.append(f"{self.unchanged} unchanged")
        return ", ".join(parts) + "."


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _meta_for(raw: str, metadata: dict[str, IndicatorMeta]) -> IndicatorMeta | None:
    return metadata.get(raw) or metadata.get(indicator_slug(raw))


def _indicator_for(raw: str, metadata: dict[str, IndicatorMeta], stored: dict[str, Indicator]) -> str | None:
    meta = _meta_for(raw, metadata)
    if meta is not None:
        return meta.slug
    found = stored.get(raw) or stored.get(indicator_slug(raw))
    return found.slug if found is not None else None


def observations_import(
    *,
    files: Sequence[InputFile],
    metadata_files: Sequence[InputFile] = (),
    actor: Actor = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    """Import statistics files, all or nothing.

    Every file is read and checked first; if any row anywhere is wrong, ``ImportRejected`` lists
    every problem (file, row, column) and nothing is stored. A figure already stored with the same
    value and source is left alone, so importing the same file twice changes nothing; a different
    value for the same indicator, area, breakdown and period is stored as a revision that
    supersedes the earlier figure, which is kept.
    """
    problems: list[Problem] = []
    metadata: dict[str, IndicatorMeta] = {}
    for meta_file in metadata_files:
        found, meta_problems = metadata_parse(meta_file.data, name=meta_file.name)
        metadata.update(found)
        problems += meta_problems
    stored = {i.slug: i for i in Indicator.objects.all()}
    stored.update({i.source_key: i for i in stored.copy().values() if i.source_key})
    # An Open SDG file can lean on metadata already stored.
    known = dict(metadata)
    for indicator in stored.values():
        known.setdefault(indicator.slug, _meta_from_model(indicator))
    rows: list[ObservationRow] = []
    for number, input_file in enumerate(files, start=1):
        file_rows, file_problems = rows_read(input_file.data, name=input_file.name, metadata=known)
        problems += file_problems
        for row in file_rows:
            slug = _indicator_for(row.indicator, metadata, stored)
            if slug is None:
                problems.append(Problem(
                    file=row.file, message=f"indicator {row.indicator!r} is not known: describe it (name, unit, "
                    "direction, source) in a metadata YAML and give it with --metadata", row=row.row,
                    column="indicator",
                ))
                continue
            row.indicator = slug
        rows += file_rows
        if progress:
            progress(input_file.name, number, len(files))
    if problems:
        raise ImportRejected(problems)

    result = ImportResult(files=[f.name for f in files])
    with transaction.atomic():
        indicators = _indicators_write(metadata, rows, result)
        for row in rows:
            _observation_write(indicators[row.indicator], row, result)
        audit_record(
            actor=actor, action="indicators.import", object_type="indicators", object_id=",".join(result.files)[:200],
            summary=result.summary(),
            data={"files": result.files, "created": result.created, "revised": result.revised,
                  "unchanged": result.unchanged, "indicators_created": result.indicators_created},
        )
    return result


def _meta_from_model(indicator: Indicator) -> IndicatorMeta:
    return IndicatorMeta(
        slug=indicator.slug, name=indicator.name, unit=indicator.unit, direction=indicator.direction,
        method=indicator.method, source=indicator.source, source_url=indicator.source_url,
        headline_geography=indicator.headline_geography, source_key=indicator.source_key,
    )


def _indicators_write(
    metadata: dict[str, IndicatorMeta], rows: list[ObservationRow], result: ImportResult
) -> dict[str, Indicator]:
    by_slug = {meta.slug: meta for meta in metadata.values()}
    for meta in by_slug.values():
        fields = meta.model_fields()
        indicator = Indicator.objects.filter(slug=meta.slug).first()
        if indicator is None:
            Indicator.objects.create(slug=meta.slug, **fields)
            result.indicators_created.append(meta.slug)
        elif any(getattr(indicator, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(indicator, k, v)
            indicator.save()
            result.indicators_updated.append(meta.slug)
    wanted = {row.indicator for row in rows}
    return {i.slug: i for i in Indicator.objects.filter(slug__in=wanted)}


def _observation_write(indicator: Indicator, row: ObservationRow, result: ImportResult) -> None:
    same_key = list(Observation.objects.filter(
        indicator=indicator, geography_key=row.geography_key, disaggregation_key=row.disaggregation_key,
        period=row.period,
    ).order_by("revision"))
    vintage = vintage_for(source=row.source, period=row.period, year=row.year, given=row.release_date)
    release, basis = (vintage.release_date, vintage.basis) if vintage else (None, "")
    # Already stored (this figure, from this source): re-importing changes nothing, except that a
    # figure stored before vintages were recorded gets its release date (the figure itself is kept).
    stored = next((obs for obs in same_key if _same(obs.value, row.value) and obs.source == row.source), None)
    if stored is not None:
        if stored.release_date is None and release is not None:
            Observation.objects.filter(pk=stored.pk).update(release_date=release, release_basis=basis)
        result.unchanged += 1
        return
    current = next((obs for obs in same_key if obs.replaced_by_id is None), None)
    notes = row.notes
    if current is not None and not row.revised:
        notes = "; ".join(filter(None, [notes, f"revises {current.value:g} ({current.source})"]))
    new = Observation.objects.create(
        indicator=indicator, period=row.period, period_as_published=row.period_as_published, year=row.year,
        geography_code=row.geography_code, geography_name=row.geography_name, geography_key=row.geography_key,
        value=row.value, unit=row.unit or indicator.unit, disaggregations=row.disaggregations,
        disaggregation_key=row.disaggregation_key, source=row.source, source_url=row.source_url,
        release_date=release, release_basis=basis, notes=notes, revision=(current.revision + 1) if current else 1,
        import_file=row.file, import_row=row.row,
    )
    if current is None:
        result.created += 1
    else:
        # The old figure stays; it is only marked as superseded.
        Observation.objects.filter(pk=current.pk).update(replaced_by=new)
        result.revised += 1


# --- targets and facts from the plan ------------------------------------------------------------


def target_year_for(deadline: dt.date | None, *, split_years: bool) -> int:
    """The calculation year of a deadline.

    Rule: periods like 2030/31 are counted by their first year (reference §3.1), so a deadline
    that closes a financial year (January to March) is the year before: 31 March 2031 → 2030.
    """
    if deadline is None:
        return 2030
    if split_years and deadline.month <= 3:
        return deadline.year - 1
    return deadline.year


def _split_years(indicator: Indicator) -> bool:
    return Observation.objects.filter(indicator=indicator, period__regex=r"(19|20)\d\d[/-]\d\d").exists()


@dataclass
class TargetSyncResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(self.created)} targets created", f"{len(self.updated)} updated"]
        if self.waiting:
            parts.append("no indicator yet for " + ", ".join(self.waiting))
        return ", ".join(parts) + "."


def targets_sync(*, plan: Plan, actor: Actor = None) -> TargetSyncResult:
    """Make an indicator target for each of the plan's targets whose indicator is stored.

    The plan gives the value, deadline, method and direction; the indicator's metadata may add how
    to measure it (``target:`` cumulative, geography, base_year, caveat). Safe to run again.
    """
    result = TargetSyncResult()
    targets = Target.objects.filter(recommendation__plan=plan).select_related("recommendation")
    with transaction.atomic():
        for target in targets:
            if not target.indicator_slug:
                continue
            indicator = Indicator.objects.filter(slug=target.indicator_slug).first()
            if indicator is None:
                result.waiting.append(target.indicator_slug)
                continue
            how = (indicator.metadata or {}).get("target") or {}
            fields: dict[str, Any] = {
                "indicator": indicator,
                "catalogue_target": target,
                "description": target.description,
                "value": target.value,
                "unit": target.unit,
                "deadline": target.deadline,
                "target_year": int(how.get("target_year") or target_year_for(
                    target.deadline, split_years=_split_years(indicator))),
                "baseline": target.baseline,
                "base_year": int(how.get("base_year") or (target.baseline_date.year if target.baseline_date else 2015)),
                "method": target.method or indicator.method,
                "direction": target.direction or indicator.direction,
                "geography": target.geography,
                "geography_key": str(how.get("geography") or indicator.headline_geography),
                "cumulative": bool(how.get("cumulative", False)),
                "caveat": str(how.get("caveat") or indicator.caveat),
            }
            slug = f"{plan.slug}-{target.slug}"[:120]
            existing = IndicatorTarget.objects.filter(slug=slug).first()
            if existing is None:
                existing = IndicatorTarget.objects.create(slug=slug, **fields)
                result.created.append(slug)
            elif any(getattr(existing, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(existing, k, v)
                existing.save()
                result.updated.append(slug)
            existing.recommendations.add(target.recommendation)
        if result.created or result.updated:
            audit_record(actor=actor, action="indicators.targets_sync", object_type="plan", object_id=plan.slug,
                         summary=result.summary(), data={"created": result.created, "updated": result.updated})
    return result


def facts_link(*, plan: Plan, actor: Actor = None) -> int:
    """Make the plan's stated figures the first observations of their indicators.

    Indicator metadata names the facts it takes (``plan_facts``). Where the statistics files
    already hold the same figure it is linked to the fact; otherwise the fact becomes an
    observation with the report as its source. Returns how many facts were newly linked.
    """
    linked = 0
    with transaction.atomic():
        for indicator in Indicator.objects.all():
            for fact_slug in (indicator.metadata or {}).get("plan_facts") or []:
                fact = Fact.objects.filter(plan=plan, slug=fact_slug).first()
                if fact is None or Observation.objects.filter(indicator=indicator, fact=fact).exists():
                    continue
                match = next((obs for obs in Observation.objects.filter(indicator=indicator, replaced_by=None)
                              if _same(obs.value, fact.value)), None)
                if match is None:
                    period = fact.as_of or str(plan.published.year)
                    match = Observation.objects.create(
                        indicator=indicator, period=period, period_as_published=period,
                        year=int(period[:4]) if period[:4].isdigit() else plan.published.year,
                        geography_code=fact.geography_code, geography_name=fact.geography,
                        geography_key=fact.geography_code or fact.geography, value=fact.value, unit=fact.unit,
                        source=f"{plan.publisher}, {plan.title} ({plan.published:%B %Y}): {fact.source}".strip(": "),
                        source_url=plan.source_url, notes="stated in the plan",
                        # Known from the day the plan was published.
                        release_date=plan.published, release_basis="stated in the plan, published that day",
                    )
                Observation.objects.filter(pk=match.pk).update(fact=fact)
                linked += 1
        if linked:
            audit_record(actor=actor, action="indicators.facts_link", object_type="plan", object_id=plan.slug,
                         summary=f"linked {linked} stated figures to indicators")
    return linked
