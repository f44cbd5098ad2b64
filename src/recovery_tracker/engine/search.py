"""Search text handling shared by every database: words, query expressions, ranking, highlights.

The databases find candidates (SQLite FTS5 or PostgreSQL full-text search); this module decides
the words they are asked for, the order results are shown in and the highlighted snippet, so the
same query gives the same results, in the same order, on both.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = [
    "STOPWORDS",
    "QueryWords",
    "fts5_expression",
    "highlight",
    "query_words",
    "score",
    "snippet",
    "stem",
]

# Common English words PostgreSQL's "english" configuration drops; SQLite's FTS5 keeps them, so
# both are asked for the same meaningful words only.
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its",
    "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "we", "our", "their",
    "they", "them", "there", "these", "those", "which", "who", "what", "when", "where", "how", "all", "any",
    "can", "into", "not", "no",
})

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_SUFFIXES = ("ational", "ations", "ation", "ising", "izing", "ings", "ing", "ised", "ized", "ises",
             "izes", "ers", "ies", "ied", "ed", "es", "er", "ly", "s")


@dataclass(frozen=True)
class QueryWords:
    """The words of a query worth searching for, lower case, in the order typed."""

    words: tuple[str, ...]
    phrase: str

    def __bool__(self) -> bool:
        return bool(self.words)


def query_words(query: str, *, limit: int = 12) -> QueryWords:
    """Split a typed query into searchable words: letters and digits only, stop words dropped."""
    words: list[str] = []
    for match in _WORD.finditer(query.lower()):
        word = match.group(0).replace("’", "'").split("'")[0]
        if word and word not in STOPWORDS and word not in words:
            words.append(word)
    words = words[:limit]
    return QueryWords(tuple(words), " ".join(words))


def stem(word: str) -> str:
    """A light stem for highlighting and ranking ("franchising" and "franchise" share "franchis").

    Matching itself is the database's job (Porter in FTS5, Snowball in PostgreSQL); this only has
    to agree well enough to mark the words the reader typed."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    # "wage" and "wages", "franchise" and "franchising" end alike once a final e is gone.
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def fts5_expression(words: QueryWords, *, every_word: bool = True) -> str:
    """An FTS5 MATCH expression: each word quoted, so no user text is read as FTS syntax (the
    table's Porter tokenizer stems them as PostgreSQL's English configuration does); all words
    required, or any one when relaxed."""
    return (" AND " if every_word else " OR ").join(f'"{w}"' for w in words.words)


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]


def _matches(token: str, stems: tuple[str, ...]) -> bool:
    """A word of the text matches a query stem when the stems agree, or one stem begins the other
    and is long enough not to be a chance ("franchis" and "franchise", not "liv" and "liver")."""
    token_stem = stem(token)
    for s in stems:
        if token_stem == s:
            return True
        shorter, longer = sorted((token_stem, s), key=len)
        if len(shorter) >= 5 and longer.startswith(shorter):
            return True
    return False


def score(words: QueryWords, *, title: str, body: str) -> float:
    """Order results as a reader expects: the exact phrase first (in the title, then the text),
    then every word present, then how many of the words appear; title matches weigh more."""
    if not words:
        return 0.0
    stems = tuple(stem(w) for w in words.words)
    title_tokens = [t for _, _, t in _word_spans(title)]
    body_tokens = [t for _, _, t in _word_spans(body)]

    # Stop words typed inside a phrase ("pay of audits") are skipped in the text as well.
    title_tokens = [t for t in title_tokens if t not in STOPWORDS]
    body_tokens = [t for t in body_tokens if t not in STOPWORDS]

    def phrase_in(tokens: list[str]) -> bool:
        size = len(stems)
        return any(all(_matches(tokens[i + j], (stems[j],)) for j in range(size))
                   for i in range(len(tokens) - size + 1))

    def found(tokens: list[str]) -> set[str]:
        return {s for s in stems if any(_matches(t, (s,)) for t in tokens)}

    in_title, in_body = found(title_tokens), found(body_tokens)
    total = 0.0
    if len(stems) > 1 and phrase_in(title_tokens):
        total += 100
    if len(stems) > 1 and phrase_in(body_tokens):
        total += 60
    if len(in_title) == len(stems):
        total += 30
    if len(in_title | in_body) == len(stems):
        total += 20
    total += 4 * len(in_title) + 2 * len(in_body)
    # How often the words recur in the text, with diminishing weight, so a passage about the
    # subject beats a passing mention.
    hits = sum(1 for t in body_tokens if _matches(t, stems))
    total += min(hits, 10) * 0.5
    return total


def highlight(text: str, words: QueryWords) -> str:
    """The text HTML-escaped, with each word that matches the query wrapped in <mark>."""
    if not words:
        return html.escape(text)
    stems = tuple(stem(w) for w in words.words)
    out: list[str] = []
    last = 0
    for start, end, token in _word_spans(text):
        if _matches(token, stems):
            out.append(html.escape(text[last:start]))
            out.append(f"<mark>{html.escape(text[start:end])}</mark>")
            last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, words: QueryWords, *, width: int = 240) -> str:
    """The part of ``text`` around the first matching word, about ``width`` characters, with
    ellipses where it was cut; plain text (escape or ``highlight`` it before showing)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    stems = tuple(stem(w) for w in words.words)
    first = next((start for start, _, token in _word_spans(text) if _matches(token, stems)), 0)
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")
