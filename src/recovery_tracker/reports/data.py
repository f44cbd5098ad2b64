"""The typed report: what ``report_build`` returns and the renderers (HTML, PDF, Markdown) format.
Plain frozen dataclasses, no queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from recovery_tracker.reports.summary import PlanSummary

NO_STATISTICS = "No statistics recorded yet."
NO_RECOMMENDATIONS = (
    "This section makes no recommendations of its own; the figures it states are in “The figures the plan stated”."
)

ON_TRACK = frozenset({"substantial_progress", "target_achieved"})
OFF_TRACK = frozenset({"moderate_progress", "limited_progress", "deterioration"})


# ── the typed report ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True)
class EvidenceItem:
    date: dt.date
    date_display: str
    recommendation: str
    title: str
    organisation: str
    voice: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class VoiceView:
    status: str
    response: str
    since: dt.date | None = None
    response_url: str = ""
    target_date: dt.date | None = None
    overdue: bool = False
    assessed: bool = False


@dataclass(frozen=True)
class BodyRow:
    name: str
    role: str
    own: VoiceView
    independent: VoiceView


@dataclass(frozen=True)
class ChartView:
    svg: str
    alt: str


@dataclass(frozen=True)
class TargetView:
    description: str
    value: float
    unit: str
    deadline: dt.date | None
    verdict: str = ""
    verdict_label: str = ""
    current: str = ""
    projection: str = ""
    required: str = ""
    chart: ChartView | None = None
    table: tuple[tuple[str, str], ...] = ()
    note: str = ""
    # Which release the figures came from: only figures published by the as-at date are used.
    release: str = ""


@dataclass(frozen=True)
class FlagView:
    title: str
    reason: str
    severity: str
    organisation: str = ""


@dataclass(frozen=True)
class RecommendationEntry:
    slug: str
    title: str
    quote: str
    kind: str
    modality: str
    who_must_act: tuple[str, ...]
    bodies: tuple[BodyRow, ...] = ()
    progress_percent: int | None = None
    evidence: tuple[EvidenceItem, ...] = ()
    evidence_count: int = 0
    targets: tuple[TargetView, ...] = ()
    flags: tuple[FlagView, ...] = ()
    # The recommendation's page on the tracker, when the report knows the site's address.
    url: str = ""

    @property
    def anchor(self) -> str:
        return "rec-" + self.slug.replace(".", "-")


@dataclass(frozen=True)
class SectionChapter:
    number: str
    title: str
    progress_percent: int | None
    entries: tuple[RecommendationEntry, ...]

    @property
    def anchor(self) -> str:
        return "section-" + self.number.replace(".", "-")


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class TrendPoint:
    date: dt.date
    percent: float | None
    assessed: int
    not_assessed: int


@dataclass(frozen=True)
class Summary:
    recommendation_count: int
    section_count: int
    status_counts: tuple[Count, ...] = ()
    response_counts: tuple[Count, ...] = ()
    pair_count: int = 0
    progress_percent: int | None = None
    assessed: int = 0
    not_assessed: int = 0
    trend: tuple[TrendPoint, ...] = ()
    trend_text: str = ""
    trend_chart: ChartView | None = None
    targets_total: int = 0
    targets_on_track: int = 0
    targets_off_track: int = 0
    targets_no_verdict: int = 0
    flagged_count: int = 0


@dataclass(frozen=True)
class FlaggedEntry:
    slug: str
    title: str
    section: str
    worst: str
    flags: tuple[FlagView, ...]
    who_must_act: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return "rec-" + self.slug.replace(".", "-")


@dataclass(frozen=True)
class CheckView:
    outcome: str
    label: str
    message: str


@dataclass(frozen=True)
class FigureRow:
    slug: str
    section: str
    statement: str
    value: str
    geography: str
    as_of: str
    source: str
    note: str
    checks: tuple[CheckView, ...]


@dataclass(frozen=True)
class StatusChange:
    date: dt.date
    recommendation: str
    body: str
    voice: str
    before: str
    after: str


@dataclass(frozen=True)
class NewStatistic:
    indicator: str
    period: str
    geography: str
    value: str
    release_date: dt.date | None
    source: str
    source_url: str


@dataclass(frozen=True)
class FlagChange:
    recommendation: str
    title: str
    body: str


@dataclass(frozen=True)
class Changes:
    since: dt.date
    as_at: dt.date
    status_changes: tuple[StatusChange, ...] = ()
    new_evidence: tuple[EvidenceItem, ...] = ()
    new_statistics: tuple[NewStatistic, ...] = ()
    response_changes: tuple[StatusChange, ...] = ()
    new_flags: tuple[FlagChange, ...] = ()
    cleared_flags: tuple[FlagChange, ...] = ()
    # True when ``since`` is the as-at date of the last published report (the default).
    since_last_publication: bool = False


@dataclass(frozen=True)
class Rule:
    title: str
    description: str


@dataclass(frozen=True)
class DataSource:
    title: str
    url: str
    released: str
    used_for: str


@dataclass(frozen=True)
class Methods:
    rollup_text: str
    rules: tuple[Rule, ...]
    progress_measure_text: str
    sources: tuple[DataSource, ...]
    # Every indicator's caveat (and each target's), so the document carries them wherever it goes.
    caveats: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ReportData:
    plan_slug: str
    plan_title: str
    publisher: str
    published: dt.date
    plan_url: str
    data_version: str
    as_at: dt.date
    since: dt.date
    generated_at: dt.datetime
    summary: Summary
    flagged: tuple[FlaggedEntry, ...]
    flagged_note: str
    sections: tuple[SectionChapter, ...]
    figures: tuple[FigureRow, ...]
    changes: Changes
    methods: Methods
    site_url: str = ""
    # The answer first: the same ``plan_summary`` the plan home and the API show (issue 12).
    answer: PlanSummary | None = None

    @property
    def recommendation_slugs(self) -> list[str]:
        return [entry.slug for chapter in self.sections for entry in chapter.entries]
