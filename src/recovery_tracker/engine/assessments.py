"""Editorial assessments shipped as data (issue 12): reading the file and the rules it must keep.

An assessment file (``data/assessments/<plan>.yaml``) gives, for each recommendation, one or more
entries ``{as_at, bodies, status, reasons, evidence, shows_delivery, sources_searched}``. Each entry
stands for one assessment per body it lists. The rules below are small named functions; each
docstring quotes the rule it keeps. ``assessments_check`` applies them all and returns every
problem at once, each naming the file, the recommendation, the body, the date and the field.

No Django here: callers pass the evidence rows and the bodies each recommendation addresses.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from recovery_tracker.engine.problems import Problem, ProblemsFound

__all__ = [
    "BANNED_PHRASES",
    "DELIVERY_STATUSES",
    "NO_PUBLIC_EVIDENCE",
    "WHOLE",
    "Assessment",
    "AssessmentFile",
    "AssessmentFileError",
    "EvidenceFact",
    "assessments_check",
    "assessments_coverage",
    "assessments_parse",
    "assessments_read",
    "evidence_latest_date",
    "rule_cites_evidence",
    "rule_delivery_shown",
    "rule_evidence_dated",
    "rule_evidence_known",
    "rule_neutral_wording",
    "rule_sources_named",
    "rule_status_known",
]

NO_PUBLIC_EVIDENCE = "no_public_evidence"
# The body key for a recommendation the plan addresses to nobody: it is assessed as a whole.
WHOLE = "whole-recommendation"
DELIVERY_STATUSES = ("delivered", "partly_delivered")

# Words that speak of motive or blame rather than of what the record shows. Matched as whole words,
# case-insensitively, in reasons and in replies shipped with the file.
BANNED_PHRASES: tuple[str, ...] = (
    "failed to", "failure", "refused", "refuses", "ignored", "ignores", "blame", "blames", "unwilling",
    "neglect", "neglected", "broken promise", "betray", "betrayed", "shameful", "disgrace", "excuse",
    "incompetent", "incompetence", "deliberately", "dragging their feet", "lip service", "fault",
)


@dataclass(frozen=True)
class EvidenceFact:
    """One row of the evidence file as the rules need it. ``date_text`` is the row's date as given
    (``2022-07-14``, ``2022-07`` or ``2022``)."""

    id: str
    date_text: str
    title: str
    summary: str


@dataclass(frozen=True)
class Assessment:
    """One body's status on one recommendation as at one date."""

    recommendation: str
    body: str
    as_at: dt.date
    status: str
    reasons: str
    evidence: tuple[str, ...] = ()
    shows_delivery: str = ""
    sources_searched: tuple[str, ...] = ()
    entry: int = 0  # position of the entry in the recommendation's list, for messages

    @property
    def where(self) -> str:
        return f"recommendation {self.recommendation}, body {self.body}, as at {self.as_at.isoformat()}"


@dataclass(frozen=True)
class AssessmentFile:
    path: str
    plan: str
    assessor: str
    evidence_file: str
    assessments: tuple[Assessment, ...]

    def latest_date(self) -> dt.date | None:
        return max((a.as_at for a in self.assessments), default=None)

    def dates(self) -> list[dt.date]:
        return sorted({a.as_at for a in self.assessments})


class AssessmentFileError(ProblemsFound):
    """The file cannot be read, or breaks a rule; ``problems`` lists every one (each sentence names
    its entry and field)."""

    def __init__(self, path: str, problems: Sequence[str]) -> None:
        self.path = path
        found = [Problem(problem) for problem in problems]
        super().__init__(found, message=f"{path}: {len(found)} problem(s):\n"
                         + "\n".join(f"  - {problem}" for problem in found))


def evidence_latest_date(date_text: str) -> dt.date:
    """The latest day a row's date can mean: a day is itself, a month its last day, a year 31 December.

    Rule (conservative): "a row dated only by month or year counts from the end of that month or
    year", so an assessment never cites an event that may have happened after it.
    """
    text = date_text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = int(text[:4]), int(text[5:7])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    match = re.match(r"(\d{4})(?:/(\d{2}))?\b", text)
    if match:
        # "2020/21" may mean any day of the financial or academic year: count from its last year.
        year = int(match.group(1)) + (1 if match.group(2) else 0)
        return dt.date(year, 12, 31)
    raise ValueError(f"cannot read the date {date_text!r}: use YYYY-MM-DD, YYYY-MM or YYYY")


def _text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def assessments_parse(data: object, *, path: str = "<assessments>") -> AssessmentFile:
    """Read the file's data into typed assessments, one per body; every shape problem at once."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise AssessmentFileError(path, ["the file must be a mapping with plan, assessor and assessments"])
    for key in ("plan", "assessor", "assessments"):
        if not data.get(key):
            problems.append(f"`{key}` is missing")
    default_sources = _text_list(data.get("sources_searched"))
    entries = data.get("assessments") or {}
    if not isinstance(entries, dict):
        problems.append("`assessments` must map each recommendation id to a list of entries")
        entries = {}
    out: list[Assessment] = []
    for rec, items in entries.items():
        if not isinstance(items, list):
            problems.append(f"recommendation {rec}: give a list of entries")
            continue
        for index, item in enumerate(items, 1):
            where = f"recommendation {rec}, entry {index}"
            if not isinstance(item, dict):
                problems.append(f"{where}: give as_at, bodies, status and reasons")
                continue
            unknown = set(item) - {"as_at", "bodies", "status", "reasons", "evidence", "shows_delivery",
                                   "sources_searched"}
            if unknown:
                problems.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
            as_at = item.get("as_at")
            if isinstance(as_at, str):
                try:
                    as_at = dt.date.fromisoformat(as_at)
                except ValueError:
                    as_at = None
            if not isinstance(as_at, dt.date):
                problems.append(f"{where}: field `as_at` must be a date like 2026-11-30")
                continue
            bodies = _text_list(item.get("bodies"))
            if not bodies:
                problems.append(f"{where}: field `bodies` must list at least one organisation id")
            for field_name in ("status", "reasons"):
                if not str(item.get(field_name) or "").strip():
                    problems.append(f"{where}: field `{field_name}` is missing")
            for body in bodies:
                out.append(Assessment(
                    recommendation=str(rec), body=body, as_at=as_at, status=str(item.get("status") or "").strip(),
                    reasons=" ".join(str(item.get("reasons") or "").split()),
                    evidence=_text_list(item.get("evidence")),
                    shows_delivery=" ".join(str(item.get("shows_delivery") or "").split()),
                    sources_searched=_text_list(item.get("sources_searched")) or default_sources,
                    entry=index,
                ))
    seen: dict[tuple[str, str, dt.date], Assessment] = {}
    for a in out:
        identity = (a.recommendation, a.body, a.as_at)
        if identity in seen:
            problems.append(f"{a.where}: assessed twice (entries {seen[identity].entry} and {a.entry}); keep one")
        seen[identity] = a
    if problems:
        raise AssessmentFileError(path, problems)
    return AssessmentFile(path=path, plan=str(data["plan"]), assessor=str(data["assessor"]),
                          evidence_file=str(data.get("evidence_file") or ""), assessments=tuple(out))


def assessments_read(path: Path | str) -> AssessmentFile:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise AssessmentFileError(str(path), [f"cannot be read as YAML: {error}"]) from error
    return assessments_parse(data, path=path.name)


# --- the rules -------------------------------------------------------------------------------------


def rule_status_known(a: Assessment, statuses: Collection[str]) -> list[str]:
    """Rule: "a status is a key of the plan's status vocabulary" (not "not assessed": an assessment
    that found nothing says "no public evidence found")."""
    if a.status not in statuses or a.status == "not_assessed":
        allowed = ", ".join(s for s in statuses if s != "not_assessed")
        return [f"{a.where}: field `status` {a.status!r} is not a status; use one of {allowed}"]
    return []


def rule_evidence_known(a: Assessment, evidence: Mapping[str, EvidenceFact]) -> list[str]:
    """Rule: "cite only existing evidence rows" (by their id in the evidence file)."""
    return [f"{a.where}: field `evidence` names {e!r}, which is not a row id of the evidence file"
            for e in a.evidence if e not in evidence]


def rule_evidence_dated(a: Assessment, evidence: Mapping[str, EvidenceFact]) -> list[str]:
    """Rule: "every status cites evidence dated on or before the assessment date" (a row dated by
    month or year counts from the end of that month or year)."""
    problems = []
    for e in a.evidence:
        fact = evidence.get(e)
        if fact is not None and evidence_latest_date(fact.date_text) > a.as_at:
            problems.append(f"{a.where}: field `evidence` cites {e} dated {fact.date_text}, after the "
                            "assessment date; cite it in a later assessment instead")
    return problems


def rule_cites_evidence(a: Assessment) -> list[str]:
    """Rule: "every status cites at least one evidence row ... or is 'no public evidence found'"."""
    if a.status != NO_PUBLIC_EVIDENCE and not a.evidence:
        return [f"{a.where}: field `evidence` is empty; cite the rows the status rests on, or use "
                f"{NO_PUBLIC_EVIDENCE} with the sources searched"]
    return []


def rule_sources_named(a: Assessment) -> list[str]:
    """Rule: "'no public evidence found' names the sources searched"."""
    if a.status == NO_PUBLIC_EVIDENCE and not a.sources_searched:
        return [f"{a.where}: field `sources_searched` is empty; name the sources that were searched"]
    return []


def rule_delivery_shown(a: Assessment, evidence: Mapping[str, EvidenceFact]) -> list[str]:
    """Rule: "nothing is 'delivered' or 'partly delivered' without evidence that says so": the entry
    copies into ``shows_delivery`` the words of a cited row's summary that say what was delivered."""
    if a.status not in DELIVERY_STATUSES:
        return []
    if not a.shows_delivery:
        return [f"{a.where}: field `shows_delivery` is missing; copy the words of a cited row that say what "
                "was delivered, or choose another status"]
    wanted = a.shows_delivery.casefold()
    for e in a.evidence:
        fact = evidence.get(e)
        if fact is not None and wanted in " ".join(f"{fact.title} {fact.summary}".split()).casefold():
            return []
    return [f"{a.where}: field `shows_delivery` ({a.shows_delivery!r}) is not in any cited row's summary"]


def rule_neutral_wording(a: Assessment, phrases: Iterable[str] = BANNED_PHRASES) -> list[str]:
    """Rule: "wording states what the record shows, never motive or blame"."""
    found = [p for p in phrases if re.search(rf"\b{re.escape(p)}\b", a.reasons, re.IGNORECASE)]
    if found:
        return [f"{a.where}: field `reasons` uses {', '.join(repr(p) for p in found)}; say what the record "
                "shows instead"]
    return []


def assessments_check(file: AssessmentFile, *, evidence: Mapping[str, EvidenceFact],
                      bodies: Mapping[str, Collection[str]], statuses: Collection[str]) -> list[str]:
    """Every rule broken, for every assessment; ``bodies`` maps each recommendation id to the bodies
    it addresses (each member of a group addressee counts as a body)."""
    problems: list[str] = []
    for a in file.assessments:
        if a.recommendation not in bodies:
            problems.append(f"{a.where}: the plan has no recommendation {a.recommendation!r}")
            continue
        if a.body == WHOLE and bodies[a.recommendation]:
            problems.append(f"{a.where}: field `bodies`: {WHOLE} is only for a recommendation addressed to "
                            f"nobody; assess each body ({', '.join(bodies[a.recommendation])})")
        elif a.body != WHOLE and a.body not in bodies[a.recommendation]:
            problems.append(f"{a.where}: field `bodies`: {a.body!r} is not addressed by this recommendation "
                            f"(addressed: {', '.join(sorted(bodies[a.recommendation]))})")
        problems += rule_status_known(a, statuses)
        problems += rule_evidence_known(a, evidence)
        problems += rule_evidence_dated(a, evidence)
        problems += rule_cites_evidence(a)
        problems += rule_sources_named(a)
        problems += rule_delivery_shown(a, evidence)
        problems += rule_neutral_wording(a)
    return [f"{file.path}: {p}" for p in problems]


def assessments_coverage(file: AssessmentFile, *, bodies: Mapping[str, Collection[str]],
                         as_at: dt.date) -> list[tuple[str, str]]:
    """The (recommendation, body) pairs with no assessment as at ``as_at``, in plan order."""
    have = {(a.recommendation, a.body) for a in file.assessments if a.as_at == as_at}
    # A recommendation addressed to nobody is assessed as a whole.
    return [(rec, body) for rec, wanted in bodies.items() for body in (wanted or [WHOLE])
            if (rec, body) not in have]
