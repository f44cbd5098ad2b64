"""Search over the shipped plan, evidence and statistics: what a reader expects comes first.

Runs on SQLite (FTS5) by default and on PostgreSQL when DATABASE_URL points at it (CI runs both);
the expectations are the same for both.
"""

from __future__ import annotations

import pytest
from django.db import connection

from recovery_tracker.search import selectors, services
from recovery_tracker.search.models import SearchIndexState


@pytest.fixture
def shipped(west_midlands):
    """The shipped plan, public evidence and statistics, loaded as `recovery-tracker setup` does."""
    from recovery_tracker.indicators.setup import statistics_load_shipped
    from recovery_tracker.progress.setup import evidence_load

    statistics_load_shipped()
    evidence_load()
    services.search_index_rebuild()
    return west_midlands


def _titles(results, kind=None):
    return [hit.entry.title for group in results.groups if kind in (None, group.kind) for hit in group.hits]


def test_expected_results_come_first(shipped):
    database = connection.vendor
    living = selectors.search("Real Living Wage")
    # The job guarantee asks employers to "pay at least the real living wage"; the accreditation
    # count is the public record of it; the low-pay statistics measure it.
    assert _titles(living, "recommendation")[0].startswith("5-i "), database
    assert _titles(living, "evidence")[0] == "611 accredited Real Living Wage employers in the West Midlands"
    assert "Jobs paid below the Real Living Wage" in _titles(living, "indicator")
    assert "<mark>Real</mark> <mark>Living</mark> <mark>Wage</mark>" in str(living.groups[1].hits[0].title_html)

    buses = selectors.search("bus franchising")
    first_evidence = _titles(buses, "evidence")[:3]
    assert all("franchising" in title.lower() for title in first_evidence), first_evidence
    # "franchising" also finds "franchise" (stemmed on both databases).
    assert "Mayor signs decision to franchise West Midlands buses" in _titles(buses, "evidence")

    kickstart = selectors.search("Kickstart")
    assert _titles(kickstart)[0] == "WMCA brokers national Kickstart scheme in the region"
    assert kickstart.hits[0].entry.url.startswith("/updates/")

    audits = selectors.search("pay audits")
    assert audits.hits[0].entry.title == "4.3-e Regular pay audits by all employers"
    assert audits.groups[0].kind == "recommendation"


def test_same_order_on_every_database(shipped):
    """The order is decided by one scoring function, so it does not depend on the database; this
    pins the first results so a run on the other database shows any difference."""
    results = selectors.search("bus franchising")
    assert _titles(results, "evidence")[:3] == [
        "WMCA Board supports starting a bus franchising assessment",
        "Bus franchising goes to public consultation after EY audit",
        "WMCA Board agrees next steps towards bus franchising",
    ]


def test_filters_narrow_results(shipped):
    everything = selectors.search("living wage")
    evidence_only = selectors.search("living wage", selectors.SearchFilters(voice="evidence"))
    assert {g.kind for g in evidence_only.groups} == {"evidence"}
    assert evidence_only.total < everything.total
    section_5 = selectors.search("living wage", selectors.SearchFilters(section="5"))
    assert section_5.total and all(hit.entry.section == "5" for hit in section_5.hits)
    assert selectors.search("living wage", selectors.SearchFilters(theme="no-such-theme")).total == 0


def test_user_text_cannot_break_the_query_or_the_page(shipped):
    for query in ['"', "pay* OR", "NEAR(", "wage'); DROP TABLE search_fts; --", "<script>alert(1)</script>"]:
        results = selectors.search(query)  # no database error
        for hit in results.hits:
            assert "<script>" not in str(hit.title_html) + str(hit.snippet_html)
    assert selectors.search("the of and").total == 0  # only stop words: nothing to search for


def test_any_word_when_no_entry_has_every_word(shipped):
    results = selectors.search("Kickstart zzzzunknownword")
    assert results.relaxed and results.hits[0].entry.title == "WMCA brokers national Kickstart scheme in the region"


def test_index_follows_the_data(people, make_published, shipped):
    """A newly published update is found by the next search, without a manual rebuild."""
    assert not SearchIndexState.objects.get(pk=1).stale
    assert selectors.search("Quokkaville").total == 0
    make_published(title="Quokkaville apprenticeship pledge TEST", narrative="A TEST entry about Quokkaville.")
    assert SearchIndexState.objects.get(pk=1).stale
    assert services.search_index_refresh()
    found = selectors.search("Quokkaville")
    assert found.hits[0].entry.title == "Quokkaville apprenticeship pledge TEST"
    assert not services.search_index_refresh()  # nothing changed since
