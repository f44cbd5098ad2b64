"""Reads of the search index: one ``search`` for every face, on SQLite (FTS5) and PostgreSQL.

The database finds the entries that contain the words (all of them; any of them when none has
all) and ranks them (FTS5's bm25, PostgreSQL's ts_rank); ``engine.search.score`` then orders them
the way a reader expects (the exact phrase first, title before text; ties go to the newer entry,
then to the plan's own order). The databases' ranks differ in scale and detail, so they are kept
on each hit (``db_rank``) but do not decide the order: both databases show the same results in the
same order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from recovery_tracker.engine import search as engine
from recovery_tracker.search.models import Kind, SearchEntry

KIND_ORDER = [Kind.RECOMMENDATION, Kind.EVIDENCE, Kind.UPDATE, Kind.FIGURE, Kind.INDICATOR, Kind.ORGANISATION]


@dataclass(frozen=True)
class SearchFilters:
    """What the reader narrowed the search to; empty means "any"."""

    kind: str = ""
    section: str = ""
    theme: str = ""
    body: str = ""
    status: str = ""
    voice: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def active(self) -> bool:
        return any([self.section, self.theme, self.body, self.status, self.voice, self.date_from, self.date_to])

    def apply(self, queryset: QuerySet[SearchEntry]) -> QuerySet[SearchEntry]:
        if self.section:
            queryset = queryset.filter(section=self.section)
        if self.theme:
            queryset = queryset.filter(themes__contains=f" {self.theme} ")
        if self.body:
            queryset = queryset.filter(bodies__contains=f" {self.body} ")
        if self.status:
            queryset = queryset.filter(statuses__contains=f" {self.status} ")
        if self.voice:
            queryset = queryset.filter(voice=self.voice)
        if self.date_from:
            queryset = queryset.filter(date__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(date__lte=self.date_to)
        return queryset


@dataclass(frozen=True)
class SearchHit:
    entry: SearchEntry
    score: float
    db_rank: float
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    label: str
    hits: list[SearchHit]
    # How many entries of this kind match; ``hits`` may show only the best of them.
    count: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: engine.QueryWords
    groups: list[SearchGroup] = field(default_factory=list)
    # True when no entry had every word and the results are those with any of them.
    relaxed: bool = False

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def hits(self) -> list[SearchHit]:
        """Every hit, best first across kinds (for the API and the tests)."""
        return sorted((hit for group in self.groups for hit in group.hits), key=lambda h: -h.score)


def _sqlite_ranks(words: engine.QueryWords, every_word: bool) -> dict[int, float]:
    with connection.cursor() as cursor:
        # Title words weigh ten times body words; bm25 is lower for better, so negate it.
        cursor.execute("SELECT rowid, -bm25(search_fts, 10.0, 1.0) FROM search_fts WHERE search_fts MATCH %s",
                       [engine.fts5_expression(words, every_word=every_word)])
        return {row[0]: float(row[1]) for row in cursor.fetchall()}


def _postgres_ranks(words: engine.QueryWords, every_word: bool) -> dict[int, float]:
    from functools import reduce
    from operator import and_, or_

    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector("title", weight="A", config="english") + SearchVector("body", weight="B", config="english")
    query = reduce(and_ if every_word else or_,
                   [SearchQuery(word, search_type="plain", config="english") for word in words.words])
    rows = (SearchEntry.objects.annotate(document=vector, rank=SearchRank(vector, query))
            .filter(document=query).values_list("id", "rank"))
    return {pk: float(rank) for pk, rank in rows}


def _ranks(words: engine.QueryWords, every_word: bool) -> dict[int, float]:
    if connection.vendor == "postgresql":
        return _postgres_ranks(words, every_word)
    return _sqlite_ranks(words, every_word)


def _order(hit: SearchHit) -> tuple[float, int, int, str, str]:
    newest_first = -hit.entry.date.toordinal() if hit.entry.date else 0
    return (-hit.score, newest_first, hit.entry.order, hit.entry.title, hit.entry.key)


def search(query: str, filters: SearchFilters | None = None, *, per_kind: int | None = None) -> SearchResults:
    """Entries matching ``query`` (and ``filters``), grouped by kind, best first in each group."""
    filters = filters or SearchFilters()
    words = engine.query_words(query)
    if not words:
        return SearchResults(query=query, words=words)
    relaxed = False
    ranks = _ranks(words, every_word=True)
    if not ranks and len(words.words) > 1:
        ranks, relaxed = _ranks(words, every_word=False), True
    entries = filters.apply(SearchEntry.objects.filter(id__in=list(ranks)))
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    hits_by_kind: dict[str, list[SearchHit]] = {}
    for entry in entries:
        hit = SearchHit(
            entry=entry, score=engine.score(words, title=entry.title, body=entry.body), db_rank=ranks[entry.pk],
            title_html=mark_safe(engine.highlight(entry.title, words)),  # noqa: S308 - escaped by highlight
            snippet_html=mark_safe(engine.highlight(engine.snippet(entry.body, words), words)),  # noqa: S308
        )
        hits_by_kind.setdefault(entry.kind, []).append(hit)
    groups = []
    for kind in KIND_ORDER:
        hits = sorted(hits_by_kind.get(kind, []), key=_order)
        if hits:
            groups.append(SearchGroup(kind=kind, label=Kind(kind).label, hits=hits[:per_kind] if per_kind else hits,
                                      count=len(hits)))
    return SearchResults(query=query, words=words, groups=groups, relaxed=relaxed)


