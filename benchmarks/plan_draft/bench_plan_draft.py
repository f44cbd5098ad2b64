"""How well `plan draft` proposes the West Midlands plan from its text (issue 16, part 3).

The shipped plan file is the answer. A candidate matches a shipped recommendation when the two quotes
cover mostly the same words of the source: their overlap is at least 60% of each (so a whole paragraph
does not "find" the three asks inside it). Recall: shipped recommendations found by some candidate.
Precision: candidates that match some shipped recommendation. Goal: recall >= 85%, and no proposed
quote that is not verbatim in the source text.

Run: .venv/bin/python benchmarks/plan_draft/bench_plan_draft.py  (a second or two; exit 1 if a goal fails)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from recovery_tracker.engine.plan import normalise_whitespace, plan_read
from recovery_tracker.engine.plan_draft import plan_draft
from recovery_tracker.engine.registry import registry_read_shipped

PLANS = Path(__file__).resolve().parents[2] / "src" / "recovery_tracker" / "data" / "plans"
OVERLAP = 0.6


def _span(text: str, quote: str) -> tuple[int, int] | None:
    quote = normalise_whitespace(quote)
    start = text.find(quote)
    return (start, start + len(quote)) if start >= 0 else None


def _matches(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return shared >= OVERLAP * (a[1] - a[0]) and shared >= OVERLAP * (b[1] - b[0])


def main() -> int:
    raw = (PLANS / "west-midlands-2020.source.txt").read_text(encoding="utf-8")
    text = normalise_whitespace(raw)
    shipped = plan_read(PLANS / "west-midlands-2020.yaml")
    started = time.perf_counter()
    draft = plan_draft(raw, registry_read_shipped())
    seconds = time.perf_counter() - started
    candidates = [_span(text, c.quote) for c in draft.candidates]
    not_verbatim = [c.quote for c, span in zip(draft.candidates, candidates, strict=True) if span is None]
    answers = {rec.id: _span(text, rec.quote) for rec in shipped.recommendations}
    found = [rid for rid, span in answers.items() if any(c and _matches(span, c) for c in candidates)]
    useful = [c for c in candidates if c and any(_matches(span, c) for span in answers.values())]
    recall = len(found) / len(answers)
    precision = len(useful) / len(candidates) if candidates else 0.0
    print(f"shipped recommendations: {len(answers)}; candidates proposed: {len(candidates)}")
    print(f"recall: {len(found)}/{len(answers)} = {recall:.1%} (goal >= 85%)")
    print(f"precision: {len(useful)}/{len(candidates)} = {precision:.1%}")
    print(f"proposed quotes not verbatim in the source: {len(not_verbatim)} (goal 0)")
    print(f"missed: {', '.join(rid for rid in answers if rid not in found) or 'none'}")
    print(f"sections: {len(draft.sections)}; stated figures: {len(draft.figures)}; "
          f"names to map: {len(draft.unmatched_names)}; time: {seconds:.2f} s")
    return 0 if recall >= 0.85 and not not_verbatim else 1


if __name__ == "__main__":
    sys.exit(main())
