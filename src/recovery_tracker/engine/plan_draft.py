"""Start a plan from its text: propose sections, recommendations, bodies and figures for an editor.

Every proposal is cut from the source text as printed (whitespace normalised), so every quote is
verbatim; the editor's job is to confirm, split and merge, not to retype. Rules, in order:

- a numbered line of up to fifteen words without a final full stop is a section heading; a repeated
  "1." (lost list numbering) takes the next top-level number and keeps the printed form;
- a sentence, or a clause of one (split at ";" unless the next clause refers back, at " – ", and at
  " and should|must|ensure|use "), is a candidate when it uses an asking phrase (MODALITY_PHRASES);
- a list item is a candidate when the lead-in it hangs from asks ("They should:"); a list whose items
  are all short (twelve words or fewer) is proposed as the criteria of the lead-in instead;
- bodies are matched against the registry's names and short names ("LEPs" means every LEP);
  capitalised names that match nothing are listed for the editor;
- stated figures (£350m, 42 per cent, 507,380 key workers) become proposed facts with their unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from recovery_tracker.engine.plan import Organisation, normalise_whitespace
from recovery_tracker.engine.plan_rules import MODALITY_PHRASES, modal_phrases

__all__ = ["Candidate", "Draft", "FigureProposal", "SectionProposal", "plan_draft", "plan_draft_data"]

_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_BULLET = re.compile(r"^[•●▪◦*]\s*")
_DASH = re.compile(r"^[–—-]\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z£‘“(])")
# Where a sentence holds a second ask: "; employers with ...", " – the WMCA ... should develop",
# " and should map" (not "and should be supported", a passive that continues the first), " and use",
# " as well as expanding", " whilst exploring"; also " and ensure" after a long first clause, and the
# main clause after a "While ..." clause (see _clauses).
_CLAUSE = re.compile(
    r";\s+(?!(?:this|these|it|as)\b)"
    r"|\s+–\s+(?=[^–.;:]*\b(?:should|must|could|can)\b)"
    r"|\s+and\s+(?=(?:should|must)\s+(?!be\b))"
    r"|\s+and\s+(?=use\b)"
    r"|\s+(?:as well as|whilst)\s+(?=\w+ing\b)"
)
_ASKING = [re.compile(r"\b" + re.escape(p) + r"\b", re.IGNORECASE) for ps in MODALITY_PHRASES.values() for p in ps]
_AND_ENSURE = re.compile(r"\s+and\s+(?=ensure\b)")
_SUBORDINATE = re.compile(r"^(?:While|Whilst|Although)\b[^,]*(,\s+)")
_FIGURE = re.compile(
    r"(£)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:(bn|m|k)\b)?(?:\s*(per cent|%|percent))?"
    r"(?:\s+([a-z][a-z-]+(?:\s+[a-z][a-z-]+)?))?")
_NAME = re.compile(r"\b(?:[A-Z][a-zA-Z&’']+(?:\s+(?:of|and|for|the|&)?\s*[A-Z][a-zA-Z&’']+)+|[A-Z]{2,}[0-9]*s?)\b")
_FUNCTION_WORDS = {"from", "and", "of", "across", "in", "the", "to", "for", "or", "are", "is", "would", "who"}
_STOP_NAMES = {"The", "This", "These", "It", "We", "There", "However", "Therefore", "Such", "In", "As", "All"}
# Group words a plan uses for several registry bodies at once.
_GROUPS = {"leps": "lep", "local enterprise partnerships": "lep"}


@dataclass
class SectionProposal:
    number: str
    title: str
    source_heading: str = ""


@dataclass
class Candidate:
    section: str
    quote: str
    modality: str
    addressees: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    lead_in: str = ""
    criteria: list[str] = field(default_factory=list)
    criteria_title: str = ""


@dataclass
class FigureProposal:
    section: str
    statement: str
    value: float
    unit: str


@dataclass
class Draft:
    sections: list[SectionProposal]
    candidates: list[Candidate]
    figures: list[FigureProposal]
    unmatched_names: list[str]


@dataclass
class _Line:
    kind: str  # heading | para | bullet | dash
    text: str
    section: str


def _lines(text: str) -> tuple[list[_Line], list[SectionProposal]]:
    sections: list[SectionProposal] = []
    lines: list[_Line] = []
    current = ""
    top = 0
    for raw in text.splitlines():
        stripped = normalise_whitespace(raw)
        if not stripped:
            continue
        heading = _HEADING.match(stripped)
        if heading and len(stripped.split()) <= 15 and not stripped.endswith((".", ":", ";")):
            number, title = heading.group(1), heading.group(2)
            printed = ""
            if number == "1" and top >= 1:
                printed, number = stripped, str(top + 1)
            top = max(top, int(number.split(".")[0]))
            sections.append(SectionProposal(number=number, title=title, source_heading=printed))
            current = number
            continue
        if heading and len(stripped.split()) > 15:
            # A heading run into its first sentence in the extract: the number opens a section.
            number = heading.group(1)
            top = max(top, int(number.split(".")[0]))
            sections.append(SectionProposal(number=number, title=" ".join(heading.group(2).split()[:12])))
            current = number
            stripped = heading.group(2)
        if _BULLET.match(stripped):
            lines.append(_Line("bullet", _BULLET.sub("", stripped), current))
        elif _DASH.match(stripped):
            for part in re.split(r"\s+–\s+(?=the\b)", _DASH.sub("", stripped)):
                lines.append(_Line("dash", part, current))
        else:
            lines.append(_Line("para", stripped, current))
    return lines, sections


def _asks(text: str) -> str:
    found = modal_phrases(text)
    return found[0][0] if found else ""


def _clauses(sentence: str) -> list[str]:
    parts: list[str] = []
    subordinate = _SUBORDINATE.match(sentence)
    if subordinate:
        parts.append(sentence[:subordinate.start(1)])
        sentence = sentence[subordinate.end(1):]
    for part in _CLAUSE.split(sentence):
        pieces: list[str] = []
        rest = part
        for match in list(_AND_ENSURE.finditer(part))[::-1]:
            if len(part[:match.start()].split()) >= 10:
                pieces.insert(0, part[match.end():])
                rest = part[:match.start()]
                break
        parts.extend([rest, *pieces])
    return [p.strip() for p in parts if p and p.strip()]


def _sentences(text: str) -> list[list[str]]:
    """The clauses of each sentence of a line, each verbatim."""
    return [_clauses(sentence) for sentence in _SENTENCE.split(text)]


def _units(text: str) -> list[str]:
    return [clause for sentence in _sentences(text) for clause in sentence]


def _bodies(text: str, registry: dict[str, Organisation]) -> list[str]:
    return [org_id for _, org_id in _bodies_at(text, registry)]


def _bodies_at(text: str, registry: dict[str, Organisation]) -> list[tuple[int, str]]:
    """(position, organisation id) for each registry body the text names, in text order, once each."""
    found: list[tuple[int, str]] = []
    lowered = text.lower()
    for org in registry.values():
        for name in (org.name, org.short_name):
            if not name or len(name) < 3:
                continue
            pattern = re.compile(r"\b" + re.escape(name.lower()) + r"\b")
            match = pattern.search(lowered)
            if match and (name.isupper() is False or name in text):
                found.append((match.start(), org.id))
                break
    for word, kind in _GROUPS.items():
        match = re.search(r"\b" + word + r"\b", lowered)
        if match:
            found += [(match.start(), org.id) for org in registry.values() if org.kind == kind]
    seen: list[tuple[int, str]] = []
    for position, org_id in sorted(found):
        if org_id not in {o for _, o in seen}:
            seen.append((position, org_id))
    return seen


def _unmatched(text: str, registry: dict[str, Organisation]) -> set[str]:
    known = {n.lower() for org in registry.values() for n in (org.name, org.short_name) if n}
    out = set()
    for match in _NAME.finditer(text):
        name = match.group(0).strip()
        if name.split()[0] in _STOP_NAMES and len(name.split()) < 3:
            continue
        lowered = name.lower()
        if lowered in known or lowered.rstrip("s") in known or lowered in _GROUPS:
            continue
        if any(lowered in k for k in known):
            continue
        out.add(name)
    return out


def _figures(line: _Line) -> list[FigureProposal]:
    out = []
    for sentence in _SENTENCE.split(line.text):
        for match in _FIGURE.finditer(sentence):
            pound, number, scale, percent, noun = match.groups()
            if not (pound or scale or percent or "," in number):
                continue  # a bare number (a year, a section number) is not a stated figure
            value = float(number.replace(",", ""))
            if percent:
                unit = "percent"
            elif pound:
                unit = {"bn": "GBP billion", "m": "GBP million", "k": "GBP thousand"}.get(scale or "", "GBP")
            else:
                words = (noun or "").split()
                while words and words[-1] in _FUNCTION_WORDS:
                    words.pop()
                unit = " ".join(words)
            out.append(FigureProposal(section=line.section, statement=sentence.strip(), value=value, unit=unit))
    return out


def plan_draft(text: str, registry: dict[str, Organisation]) -> Draft:
    """Propose a plan from its source text. Pure: no file, no database."""
    lines, sections = _lines(text)
    candidates: list[Candidate] = []
    figures: list[FigureProposal] = []
    unmatched: set[str] = set()
    para_lead = ""  # the last paragraph that ends with a colon, if the current list hangs from it
    item_lead = ""  # the last paragraph or bullet ending with a colon (for dash items)
    item_lead_asks = ""
    para_lead_asks = ""
    pending: list[_Line] = []  # the items of the current list, decided when the list ends
    list_owner: Candidate | None = None

    def flush() -> None:
        nonlocal pending, list_owner
        if not pending:
            return
        short = all(len(item.text.split()) <= 12 for item in pending)
        lead_asks = pending[0].kind == "bullet" and para_lead_asks or pending[0].kind == "dash" and item_lead_asks
        if short and list_owner is not None and lead_asks:
            list_owner.criteria = [item.text.rstrip(".") for item in pending]
            list_owner.criteria_title = list_owner.quote
        elif lead_asks:
            for item in pending:
                candidates.extend(_line_candidates(item, lead_asks, registry,
                                                   para_lead if item.kind == "bullet" else item_lead))
        pending, list_owner = [], None

    for line in lines:
        figures += _figures(line)
        unmatched |= _unmatched(line.text, registry)
        if line.kind == "dash":
            pending.append(line)
            continue
        if pending and (line.kind == "para" or pending[0].kind == "dash"):
            flush()
        if line.kind == "bullet":
            if not line.text.endswith(":"):
                pending.append(line)
            else:
                flush()
                # A bullet that opens a sub-list is an item of its own list and the lead-in of the next.
                made = _line_candidates(line, para_lead_asks, registry, para_lead)
                candidates.extend(made)
                item_lead, item_lead_asks = line.text, _asks(line.text) or para_lead_asks
                list_owner = made[-1] if made else None
            continue
        # A paragraph.
        made = _line_candidates(line, "", registry, "")
        candidates.extend(made)
        if line.text.endswith(":"):
            para_lead, para_lead_asks = line.text, _asks(line.text.rsplit(". ", 1)[-1]) or _asks(line.text)
            item_lead, item_lead_asks = para_lead, para_lead_asks
            list_owner = made[-1] if made else None
        else:
            para_lead, para_lead_asks = "", ""
    flush()
    return Draft(sections=sections, candidates=candidates, figures=figures, unmatched_names=sorted(unmatched))


_LEAD_IN_END = re.compile(r"\b(?:should|must|could|can|also|that|by|on|for|to|will)$", re.IGNORECASE)


def _line_candidates(line: _Line, inherited: str, registry: dict[str, Organisation], lead: str) -> list[Candidate]:
    """Candidates of one line: each clause that asks, and each clause joined to an asking clause of
    its sentence; for a list item, the lead-in's asking word carries over. A bare lead-in ("the WMCA
    and LEPs should:") is not a candidate: its list items are."""
    out = []
    text = line.text
    for sentence in _sentences(text):
        asking_seen = inherited
        for clause in sentence:
            own = _asks(clause)
            bare = clause.endswith(":") and _LEAD_IN_END.search(clause.rstrip(":"))
            if len(clause.split()) > 3 and (own or asking_seen) and not bare:
                out.append(_candidate(line.section, clause, own or asking_seen, text, registry, lead))
            asking_seen = own or asking_seen
    return out


def _candidate(section: str, unit: str, modality: str, context: str, registry: dict[str, Organisation],
               lead: str) -> Candidate:
    """Who is asked: the bodies a list item's lead-in names, or those named before the clause's asking
    word; bodies named after it (work with ..., bringing together ...) are proposed in support."""
    leads = _bodies(lead.rsplit(". ", 1)[-1], registry) if lead else []
    own = _bodies_at(unit, registry) or _bodies_at(context, registry)
    asking = min((m.start() for p in _ASKING for m in [p.search(unit)] if m), default=len(unit))
    if not leads:
        leads = [org_id for position, org_id in own if position < asking]
    support = [org_id for _, org_id in own if org_id not in leads]
    return Candidate(section=section, quote=unit.rstrip(":").strip(), modality=modality, addressees=leads,
                     support=support, lead_in=lead)


def _letters(index: int) -> str:
    """a, b, ... z, then za, zb ...: ids stay short and sort after the single letters."""
    return chr(ord("a") + index) if index < 26 else "z" + _letters(index - 26)


NO_BODY = " No body named: say who, or why no one."
REVIEW = "REVIEW: proposed by `plan draft`; confirm the quote's extent, split or merge, who must act and the kind."


def plan_draft_data(draft: Draft, *, plan_id: str, title: str, source_text: str, published: str) -> dict[str, Any]:
    """The draft as plan-file data: schema-valid, every item's note marking it for review."""
    sections = [{"number": s.number, "title": s.title, **({"source_heading": s.source_heading}
                                                          if s.source_heading else {})} for s in draft.sections]
    numbers = {s.number for s in draft.sections}
    if any(c.section not in numbers for c in draft.candidates) or any(
            f.section not in numbers for f in draft.figures):
        sections.insert(0, {"number": "0", "title": "Before the first heading (REVIEW)"})
    counters: dict[str, int] = {}
    recommendations = []
    for candidate in draft.candidates:
        section = candidate.section if candidate.section in numbers else "0"
        letter = _letters(counters.get(section, 0))
        counters[section] = counters.get(section, 0) + 1
        words = candidate.quote.split()
        item: dict[str, Any] = {
            "id": f"{section}-{letter}", "section": section,
            "title": " ".join(words[:10]) + ("…" if len(words) > 10 else ""),
            "quote": candidate.quote, "kind": "action", "modality": candidate.modality,
            "addressees": [{"organisation": org, "role": "lead"} for org in candidate.addressees]
            + [{"organisation": org, "role": "support"} for org in candidate.support],
            "note": REVIEW + ("" if candidate.addressees or candidate.support else NO_BODY),
        }
        if candidate.criteria:
            item["criteria_title"] = candidate.criteria_title
            item["criteria"] = [{"id": f"c{n + 1}", "text": text} for n, text in enumerate(candidate.criteria)]
        recommendations.append(item)
    facts = []
    for n, figure in enumerate(draft.figures):
        facts.append({
            "id": f"figure-{n + 1}", "section": figure.section if figure.section in numbers else "0",
            "statement": figure.statement, "value": figure.value, "unit": figure.unit or "REVIEW",
            "geography": "REVIEW: which area", "note": "REVIEW: proposed by `plan draft`.",
        })
    return {
        "plan": {"id": plan_id, "title": title, "publisher": "REVIEW", "published": published,
                 "source_text": source_text},
        "sections": sections, "recommendations": recommendations, "facts": facts,
    }
