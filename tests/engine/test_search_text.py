"""The search text rules shared by both databases: words, highlighting, snippets, ranking."""

from recovery_tracker.engine.search import fts5_expression, highlight, query_words, score, snippet


def test_query_words_drop_stop_words_and_punctuation():
    assert query_words("The Real Living-Wage, of 2020!").words == ("real", "living", "wage", "2020")
    assert not query_words("the of and")


def test_fts5_expression_quotes_every_word_so_user_text_is_not_syntax():
    words = query_words('pay* OR NEAR( "audits"')
    assert fts5_expression(words) == '"pay" AND "near" AND "audits"'
    assert fts5_expression(words, every_word=False) == '"pay" OR "near" OR "audits"'


def test_highlight_escapes_text_and_marks_matching_words():
    words = query_words("franchising")
    marked = highlight("Bus <franchise> & franchising", words)
    assert marked == "Bus &lt;<mark>franchise</mark>&gt; &amp; <mark>franchising</mark>"
    assert highlight("<b>wages</b> and buses", query_words("wage")) == "&lt;b&gt;<mark>wages</mark>&lt;/b&gt; and buses"


def test_snippet_centres_on_the_first_match():
    text = "word " * 200 + "Kickstart placements " + "word " * 200
    cut = snippet(text, query_words("kickstart"), width=120)
    assert "Kickstart" in cut and cut.startswith("… ") and cut.endswith(" …") and len(cut) < 130


def test_score_puts_the_phrase_in_a_title_first():
    words = query_words("pay audits")
    in_title = score(words, title="Regular pay audits by all employers", body="")
    in_text = score(words, title="Equal pay", body="they ran pay audits every year")
    apart = score(words, title="Pay", body="the audit found a gap")
    assert in_title > in_text > apart > 0
