"""The public pages of the plan, as a reader sees them (server-rendered, no JavaScript needed)."""

import re

import pytest


@pytest.mark.django_db
def test_home_shows_the_plan_and_counts(client, test_plan, settings):
    settings.RECOVERY_TRACKER = {**settings.RECOVERY_TRACKER, "DEFAULT_PLAN": "test-plan"}
    page = client.get("/").content.decode()
    assert "A Test Plan" in page
    assert "2 recommendations" in page
    assert "1 First section" in page


def test_recommendation_page_quotes_and_names_who_must_act(client, test_plan):
    response = client.get("/plans/test-plan/recommendations/1-a/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The authority should build 100 test homes by 2030." in page
    assert "Test Authority" in page and "(lead)" in page
    # The closed body's recommendation stays accountable through its successor.
    assert "now accountable through" in page
    assert "/plans/test-plan/source/#rec-1-a" in page


def test_user_text_is_escaped(client, test_plan):
    page = client.get("/plans/test-plan/recommendations/2-a/").content.decode()
    assert "&lt;three&gt;" in page and "<three>" not in page


def test_source_text_marks_each_quote(client, test_plan):
    page = client.get("/plans/test-plan/source/").content.decode()
    assert 'id="rec-1-a"' in page
    # Whitespace differs between the quote and the source; the mark still finds it.
    assert 'id="rec-2-a"' in page
    assert 'id="section-1"' in page


def test_filters_by_theme_kind_and_organisation(client, test_plan):
    url = "/plans/test-plan/recommendations/"
    assert "1-a" in client.get(url, {"theme": "housing"}).content.decode()
    assert "/recommendations/2-a/" not in client.get(url, {"theme": "housing"}).content.decode()
    assert "/recommendations/2-a/" in client.get(url, {"kind": "standard"}).content.decode()
    # The authority answers for its predecessor's recommendations too.
    by_authority = client.get(url, {"organisation": "test-authority"}).content.decode()
    assert "/recommendations/2-a/" in by_authority and "/recommendations/1-a/" in by_authority


def test_organisation_page_includes_predecessors(client, test_plan):
    page = client.get("/organisations/test-authority/").content.decode()
    assert "Test Old Body" in page
    assert "Meet test conditions" in page


def test_section_page_shows_facts_with_checks(client, test_plan):
    page = client.get("/plans/test-plan/sections/1/").content.decode()
    assert "Part A is 120." in page
    assert "Holds" in page


def test_unknown_recommendation_is_404(client, test_plan):
    assert client.get("/plans/test-plan/recommendations/9-z/").status_code == 404


def test_api_lists_recommendations_and_serves_the_schema(client, test_plan):
    data = client.get("/api/plans/test-plan/recommendations", {"kind": "target"}).json()
    assert [item["id"] for item in data] == ["1-a"]
    assert data[0]["addressees"][0]["organisation"] in {"test-authority", "test-old-body"}
    schema = client.get("/api/openapi.json").json()
    assert "/api/plans/{plan_id}/recommendations" in schema["paths"]
    whole = client.get("/api/plans/test-plan").json()
    assert set(whole) == {"plan", "sections", "recommendations", "facts", "organisations"}


def test_api_explorer_uses_no_outside_scripts(client, test_plan):
    page = client.get("/api/explorer").content.decode()
    # Our own copy, under a hashed name once static files have been collected.
    assert re.search(r'src="/static/ninja/swagger-ui-bundle(\.[0-9a-f]+)?\.js"', page)
    assert "cdn.jsdelivr.net" not in page


def test_api_docs_page_is_a_guide_in_the_site_layout_without_javascript(client, test_plan):
    page = client.get("/api/docs").content.decode()
    assert 'class="govuk-header' in page and "swagger-ui-bundle.js" not in page
    assert 'href="/api/openapi.json"' in page and 'href="/accounts/tokens/"' in page
    assert "Authorization: Bearer YOUR-TOKEN" in page
    # Every endpoint of the schema is listed, with whether it needs a token.
    schema = client.get("/api/openapi.json").json()
    for path in schema["paths"]:
        assert f" {path}</code>" in page
    assert "Needed" in page


def test_recommendation_shows_only_the_figures_its_words_state(client, west_midlands):
    """Issue 13: every recommendation of a section repeated all of the section's figures."""
    housing = client.get("/plans/west-midlands-2020/recommendations/3.2-c/").content.decode()
    assert "Figures this recommendation states" in housing and "215,000" in housing
    job_guarantee = client.get("/plans/west-midlands-2020/recommendations/5-i/").content.decode()
    assert "Figures this recommendation states" not in job_guarantee
    assert "stated elsewhere in section 5" in job_guarantee


def test_themes_show_in_plain_english_not_as_slugs(client, west_midlands):
    for url in ("/", "/plans/west-midlands-2020/recommendations/5-j/", "/plans/west-midlands-2020/recommendations/"):
        page = client.get(url).content.decode()
        assert "Worker voice" in page, url
        assert ">worker-voice<" not in page, url
