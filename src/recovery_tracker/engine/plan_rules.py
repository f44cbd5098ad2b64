"""Editorial rules for any plan, read against the plan's own source text.

Each rule is a small function over a plan file and its source text that returns problems naming
the item and the field. ``plan check`` runs them all; the shipped-plan tests run them on the West
Midlands plan and on small made-up TEST plans.

Texts are compared after ``normalise_whitespace`` (runs of spaces, line breaks and non-breaking
spaces become one space); nothing else is changed, so curly quotes and dashes must match as printed.
"""

from __future__ import annotations

import difflib
import re

from recovery_tracker.engine.plan import PlanFile, Recommendation, normalise_whitespace
from recovery_tracker.engine.problems import Problem

__all__ = [
    "MODALITY_PHRASES",
    "closest_passage",
    "modal_phrases",
    "plan_rules_check",
    "rule_modality_is_the_sentences",
    "rule_one_ask_per_item",
    "rule_quotes_are_whole_clauses",
    "rule_quotes_are_verbatim",
]

# The phrases each modality stands for, most specific first where one contains another. A quote
# is recorded with the modality its wording uses ("Employers must be encouraged to ..." is "must be
# encouraged", not "must": the duty falls on whoever must encourage).
MODALITY_PHRASES: dict[str, tuple[str, ...]] = {
    "must be encouraged": ("must be encouraged",),
    "should be encouraged": ("should be encouraged", "is encouraged to", "are encouraged to"),
    "must": ("must", "will be essential", "is essential"),
    "should": ("should", "we call on", "calling for", "have a crucial role to play"),
    "needed": ("is required", "are required", "is needed", "are needed", "needs to", "need to", "will require"),
    "could": ("could", "can", "potential to"),
}

_PATTERNS = {
    term: [re.compile(r"\b" + re.escape(phrase).replace(r"\ ", r"\s+") + r"\b", re.IGNORECASE) for phrase in phrases]
    for term, phrases in MODALITY_PHRASES.items()
}
# Sentence and clause ends, and list bullets: a quote that stops short of one stops mid-clause.
_BOUNDARY = ".;:!?•"
# Words that join two asks or open a sentence without asking anything themselves.
_CONNECTORS = {
    "and", "or", "as", "well", "whilst", "while", "but", "also", "then", "so", "such", "therefore",
    "however", "crucially", "in", "doing", "addition", "nationally",
}
_ANAPHORA = ("this ", "these ", "such ", "it ")


def modal_phrases(text: str) -> list[tuple[str, str]]:
    """Every (modality, phrase) the text uses, keeping only the most specific where phrases overlap."""
    found: list[tuple[int, int, str, str]] = []
    for term, patterns in _PATTERNS.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                found.append((match.start(), match.end(), term, match.group(0)))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, str, str]] = []
    for start, end, term, phrase in found:
        if kept and start < kept[-1][1]:
            continue  # inside a longer phrase already kept ("must" in "must be encouraged")
        kept.append((start, end, term, phrase))
    return [(term, phrase) for _, _, term, phrase in kept]


def closest_passage(text: str, source: str) -> tuple[str, float]:
    """The passage of ``source`` most like ``text`` (same number of words), and how alike (0 to 1)."""
    words = source.split()
    size = max(1, len(text.split()))
    if not words:
        return "", 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(text)
    scored = []
    for start in range(0, max(1, len(words) - size + 1)):
        window = " ".join(words[start:start + size])
        matcher.set_seq1(window)
        scored.append((matcher.quick_ratio(), window))
    scored.sort(key=lambda item: -item[0])
    best, best_ratio = "", 0.0
    for _, window in scored[:25]:
        matcher.set_seq1(window)
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best, best_ratio


def _texts(plan: PlanFile) -> list[tuple[str, str, str]]:
    """(item, field, text) for everything that must be verbatim."""
    out = []
    for rec in plan.recommendations:
        out.append((f"recommendation {rec.id}", "quote", rec.quote))
        for criterion in rec.criteria:
            out.append((f"recommendation {rec.id}", f"criteria.{criterion.id}.text", criterion.text))
    for fact in plan.facts:
        out.append((f"fact {fact.id}", "statement", fact.statement))
    return out


def rule_quotes_are_verbatim(plan: PlanFile, source: str) -> list[Problem]:
    """Rule: "every quote, criterion and stated fact is verbatim from the plan's source text"
    (whitespace normalised). A problem names the closest passage found."""
    text = normalise_whitespace(source)
    problems = []
    for item, field, value in _texts(plan):
        wanted = normalise_whitespace(value)
        if wanted and wanted in text:
            continue
        passage, ratio = closest_passage(wanted, text)
        problems.append(Problem(item=item, field=field, message=(
            f"not verbatim in the source text; the closest passage ({ratio:.0%} alike) is “{passage}”")))
    return problems


def _covered(plan: PlanFile, text: str) -> list[tuple[int, int]]:
    """Spans of the source some item quotes: quotes, criteria, fact statements and section headings."""
    pieces = [rec.quote for rec in plan.recommendations]
    pieces += [c.text for rec in plan.recommendations for c in rec.criteria]
    pieces += [fact.statement for fact in plan.facts]
    pieces += [s.source_heading or f"{s.number} {s.title}" for s in plan.sections]
    spans = []
    for piece in pieces:
        piece = normalise_whitespace(piece)
        if not piece:
            continue
        start = text.find(piece)
        while start >= 0:
            spans.append((start, start + len(piece)))
            start = text.find(piece, start + 1)
    return spans


def _paragraph_breaks(source: str) -> tuple[str, set[int]]:
    """The normalised text and the positions in it where a blank line (a paragraph break) was: a
    title or heading line without a full stop still ends there."""
    pieces = re.split(r"(\s+)", source.replace("\u00a0", " ").strip())
    out: list[str] = []
    breaks: set[int] = set()
    position = 0
    for piece in pieces:
        if not piece:
            continue
        if piece.isspace():
            if piece.count("\n") >= 2:
                breaks.add(position)
            out.append(" ")
            position += 1
        else:
            out.append(piece)
            position += len(piece)
    return "".join(out), breaks


def _only_connectors(gap: str) -> bool:
    words = re.findall(r"[^\W\d_]+", gap.lower())
    return all(word in _CONNECTORS for word in words) and not re.search(r"\d", gap)


def _after(text: str, end: int, spans: list[tuple[int, int]], breaks: set[int]) -> tuple[str, str]:
    """The words between a quote's end and the end of its clause that no item quotes, and the mark
    that ends the clause ("" at the end of the text)."""
    gap: list[str] = []
    position = end
    while position < len(text):
        jump = max((e for s, e in spans if s <= position < e), default=None)
        if jump is not None and not text[position].isspace():
            if not _only_connectors("".join(gap)):
                break
            position, gap = jump, []
            if text[position - 1] in _BOUNDARY:
                return "", text[position - 1]
            continue
        char = text[position]
        if position in breaks:
            return "".join(gap), "¶"
        if char in _BOUNDARY and not (char == "." and position + 1 < len(text) and not text[position + 1].isspace()):
            return "".join(gap), char
        gap.append(char)
        position += 1
    return "".join(gap), ""


def _before(text: str, start: int, spans: list[tuple[int, int]], breaks: set[int]) -> str:
    """The words between the start of a quote's clause and the quote that no item quotes."""
    gap: list[str] = []
    position = start - 1
    while position >= 0:
        jump = min((s for s, e in spans if s <= position < e), default=None)
        if jump is not None and not text[position].isspace():
            if not _only_connectors("".join(reversed(gap))):
                break
            position, gap = jump - 1, []
            continue
        char = text[position]
        if char in _BOUNDARY or position in breaks:
            break
        gap.append(char)
        position -= 1
    return "".join(reversed(gap))


def rule_quotes_are_whole_clauses(plan: PlanFile, source: str) -> list[Problem]:
    """Rule: "a quote is never cut mid-clause": from the start of its clause to its end (a full stop,
    semicolon, colon or bullet), every word is quoted by this or another item, apart from words that
    only join asks ("and", "as well as", "whilst" ...) or a lead-in ending with a colon."""
    text, breaks = _paragraph_breaks(source)
    spans = _covered(plan, text)
    problems = []
    for rec in plan.recommendations:
        quote = normalise_whitespace(rec.quote)
        start = text.find(quote)
        if start < 0:
            continue  # the verbatim rule reports it
        end = start + len(quote)
        if quote[-1] not in _BOUNDARY:
            gap, mark = _after(text, end, spans, breaks)
            if gap.strip() and mark != ":" and not _only_connectors(gap):
                problems.append(Problem(item=f"recommendation {rec.id}", field="quote", message=(
                    f"stops mid-clause: the clause goes on “{gap.strip()}” up to “{mark or 'the end'}”, and no item "
                    "quotes it; extend the quote to the end of the clause or record the rest as its own item")))
        gap = _before(text, start, spans, breaks)
        if gap.strip() and not _only_connectors(gap):
            problems.append(Problem(item=f"recommendation {rec.id}", field="quote", message=(
                f"starts mid-clause: the clause begins “{gap.strip()}” and no item quotes it; start the quote "
                "at the start of the clause")))
    return problems


def _clauses(quote: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.;])\s+", normalise_whitespace(quote)) if part]


def rule_one_ask_per_item(plan: PlanFile, source: str) -> list[Problem]:
    """Rule: "two asks in one item" are two items: a quote with more than one sentence or clause that
    asks something (must, should, is required ...) is split so each ask carries its own status."""
    problems = []
    for rec in plan.recommendations:
        asking = [clause for clause in _clauses(rec.quote) if modal_phrases(clause)]
        if len(asking) > 1:
            shown = " | ".join(f"“{clause[:60]}{'…' if len(clause) > 60 else ''}”" for clause in asking)
            problems.append(Problem(item=f"recommendation {rec.id}", field="quote", message=(
                f"holds {len(asking)} asks ({shown}); split it, the first part keeping the id")))
    return problems


def _context_before(text: str, start: int, quote: str) -> str:
    """The part of the quote's sentence before it, with the list lead-in it hangs from ("They should:")
    or, for a sentence that refers back ("This will involve ..."), the sentence before."""
    def sentence_start(position: int) -> int:
        found = max((m.end() for m in re.finditer(r"[.!?]\s", text[:position])), default=0)
        return found

    begin = sentence_start(start)
    context = text[begin:start]
    for _ in range(4):
        stripped = context.strip()
        is_list_item = stripped.startswith(("•", "–")) or stripped == ""
        refers_back = stripped == "" and quote.lower().startswith(_ANAPHORA)
        if ":" in context or begin == 0 or not (is_list_item and (stripped or refers_back)):
            break
        begin = sentence_start(max(0, begin - 2))
        context = text[begin:start]
    return context


def rule_modality_is_the_sentences(plan: PlanFile, source: str) -> list[Problem]:
    """Rule: "the modality is the one the sentence uses": its phrase (MODALITY_PHRASES) is in the quote,
    or, for a quote that continues a sentence or a list, in the words that lead into it; and where the
    quote uses a more specific phrase ("must be encouraged"), the item records that one."""
    text = normalise_whitespace(source)
    problems = []
    for rec in plan.recommendations:
        problems += _modality_problems(rec, text)
    return problems


def _modality_problems(rec: Recommendation, text: str) -> list[Problem]:
    quote = normalise_whitespace(rec.quote)
    start = text.find(quote)
    if start < 0:
        return []
    own = modal_phrases(quote)
    item = f"recommendation {rec.id}"
    recorded = rec.modality
    more_specific = [
        phrase for term, phrase in own if term != recorded and any(
            p in phrase.lower() for p in MODALITY_PHRASES.get(recorded, ()))
    ]
    if more_specific:
        return [Problem(item=item, field="modality", message=(
            f"the sentence says “{more_specific[0]}”, recorded as {recorded!r}; record the modality it uses"))]
    if any(term == recorded for term, _ in own):
        return []
    context = _context_before(text, start, quote)
    if any(term == recorded for term, _ in modal_phrases(context)):
        return []
    used = sorted({phrase for _, phrase in own + modal_phrases(context)})
    return [Problem(item=item, field="modality", message=(
        f"recorded as {recorded!r} but neither the quote nor its lead-in says so"
        + (f" (it says: {', '.join(repr(p) for p in used)})" if used else " (it uses no asking word)")))]


RULES = (
    rule_quotes_are_verbatim,
    rule_quotes_are_whole_clauses,
    rule_one_ask_per_item,
    rule_modality_is_the_sentences,
)


def plan_rules_check(plan: PlanFile, source: str) -> list[Problem]:
    """Every editorial rule over the plan and its source text, in a fixed order."""
    problems: list[Problem] = []
    for rule in RULES:
        problems += rule(plan, source)
    return problems
