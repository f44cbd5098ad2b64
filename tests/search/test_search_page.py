"""The search page: grouped, highlighted, escaped results; filters; errors in GOV.UK style."""

from __future__ import annotations


def test_search_page_groups_and_highlights_escaped_results(client, test_plan):
    page = client.get("/search/", {"q": "test conditions"}).content.decode()
    assert 'id="results-recommendation"' in page
    # The quote holds "<three>": shown as text, never as markup, with the words marked.
    assert "Meet <mark>test</mark> <mark>conditions</mark>" in page
    assert "&lt;three&gt;" in page and "<three>" not in page
    assert "<title>Search: test conditions" in page


def test_search_page_never_reflects_markup_from_the_query(client, test_plan):
    page = client.get("/search/", {"q": '<script>alert("x")</script> homes'}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_bad_date_filter_is_an_error_named_at_the_field(client, test_plan):
    response = client.get("/search/", {"q": "homes", "from": "31/02/2022"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Search" in page
    assert 'href="#search-from"' in page and "The start date must be a real date" in page


def test_empty_search_shows_the_form_only(client, test_plan):
    page = client.get("/search/").content.decode()
    assert 'name="q"' in page and "result" not in page.split("</form>")[1]
