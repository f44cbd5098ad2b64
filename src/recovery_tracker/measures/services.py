"""Running the checks on uploaded files or form answers, and saving their aggregate results.

The checks themselves are the pure engines (``engine/paygap``, ``engine/standards``); these
functions turn their outcomes into plain, JSON-ready data (which is all that is ever kept) and
their input problems into ``CheckFailed`` with row and column, so the pages can show them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from recovery_tracker.audit.services import audit_record
from recovery_tracker.catalogue import selectors as catalogue_selectors
from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.engine import paygap
from recovery_tracker.engine.formatting import percent
from recovery_tracker.engine.problems import Problem, ProblemsFound
from recovery_tracker.engine.standards import StandardsInputError
from recovery_tracker.engine.standards.charters import check_employers_file
from recovery_tracker.engine.standards.job_guarantee import check_job_guarantee_file
from recovery_tracker.engine.standards.procurement import check_procurement_file
from recovery_tracker.engine.standards.public_interest import PublicInterestDecision, assess_public_interest
from recovery_tracker.measures import permissions
from recovery_tracker.measures.models import MeasureKind, MeasureResult, ResultState

__all__ = [
    "CHECKS",
    "CheckFailed",
    "CheckInfo",
    "employers_check",
    "headline_for",
    "job_guarantee_check",
    "measure_result_save",
    "paygap_check",
    "procurement_check",
    "public_interest_assess",
]

Actor = AbstractBaseUser | AnonymousUser | None


@dataclass(frozen=True)
class CheckInfo:
    """A check and the recommendation of the plan it serves (by the plan's id)."""

    kind: str
    title: str
    recommendation: str
    url_name: str


CHECKS: dict[str, CheckInfo] = {
    MeasureKind.PAYGAP: CheckInfo(MeasureKind.PAYGAP, "Pay gaps from a payroll file", "4.3-c", "measures:paygap"),
    MeasureKind.JOB_GUARANTEE: CheckInfo(MeasureKind.JOB_GUARANTEE, "Job guarantee placements", "5-i",
                                         "measures:job-guarantee"),
    MeasureKind.PROCUREMENT: CheckInfo(MeasureKind.PROCUREMENT, "Fair-work procurement", "4.1-a",
                                       "measures:procurement"),
    MeasureKind.PUBLIC_INTEREST: CheckInfo(MeasureKind.PUBLIC_INTEREST, "Public interest test", "6-d",
                                           "measures:public-interest-start"),
    MeasureKind.EMPLOYERS: CheckInfo(MeasureKind.EMPLOYERS, "Employer commitments and charters", "4.3-c",
                                     "measures:employers"),
}


class CheckFailed(ProblemsFound):
    """The input cannot be checked; ``problems`` says where and why (the row a person sees, the column).
    Nothing was produced or kept."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        super().__init__(problems, total=total)

    def summary(self, limit: int = 20) -> str:
        return f"{self.total} problem(s)"  # the page lists them


def _hide_path(message: str, path: Path, name: str) -> str:
    # Engines name the file they read; the user knows it by its own name, not our temporary path.
    return message.replace(str(path), name).replace(path.name, name)


def _standards_failed(error: StandardsInputError, path: Path, name: str) -> CheckFailed:
    return CheckFailed([Problem(_hide_path(item.message, path, name), row=item.row, column=item.column)
                        for item in error.problems])


def _unreadable(error: Exception, name: str) -> CheckFailed:
    return CheckFailed([Problem(f"{name} could not be read ({type(error).__name__}). Save it again "
                                f"from your spreadsheet or payroll program and upload it again.")])


# --- pay gaps --------------------------------------------------------------------------------------


def paygap_check(*, path: Path, name: str, snapshot_date: dt.date, low_pay_amount: Decimal | None = None,
                 ) -> dict[str, Any]:
    """The pay gap report of one payroll file as plain aggregate data (no employee rows).

    ``{"snapshot_date", "parts": [sex part, ethnicity part?, disability part?], "notes"}``; each part
    is the engine's ``report_to_dict`` shape. Ethnicity and disability appear when the file has them.
    """
    try:
        payroll = paygap.read_payroll(path)
        groupings: list[Any] = ["sex"]
        if payroll.has_ethnicity:
            groupings.append("ethnicity")
        if payroll.has_disability:
            groupings.append("disability")
        report = paygap.paygap_report(payroll, snapshot_date, by=tuple(groupings), low_pay_amount=low_pay_amount)
        del payroll  # the rows go now; only the aggregate report is kept
    except paygap.PayrollFileError as error:
        # The row a person sees in the file is the payroll's line (its header is line 1).
        problems = [Problem(_hide_path(item.message, path, name) + (f" (value {item.value!r})"
                                                                    if item.value is not None else ""),
                            row=item.line if item.line is not None else item.row, column=item.column)
                    for item in error.problems]
        raise CheckFailed(problems, error.total) from error
    except (UnicodeDecodeError, OSError) as error:
        raise _unreadable(error, name) from error
    data = paygap.report_to_dict(report)
    parts = data.get("reports", [data])
    return {
        "snapshot_date": snapshot_date.isoformat(),
        "relevant_employees": report.relevant_employees,
        "full_pay_relevant_employees": report.full_pay_relevant_employees,
        "parts": [{key: value for key, value in part.items() if key != "notes"} for part in parts],
        "notes": list(report.notes),
    }


# --- standards -------------------------------------------------------------------------------------


def job_guarantee_check(*, path: Path, name: str) -> dict[str, Any]:
    """Every placement against the six conditions, and the summary (engine JSON shape)."""
    try:
        report = check_job_guarantee_file(path)
    except StandardsInputError as error:
        raise _standards_failed(error, path, name) from error
    except (UnicodeDecodeError, OSError) as error:
        raise _unreadable(error, name) from error
    data = report.to_dict()
    data["warnings"] = [_hide_path(text, path, name) for text in report.warnings]
    return data


def procurement_check(*, path: Path, name: str) -> dict[str, Any]:
    """Per contract met and missing; per buyer the share of spend meeting the standard."""
    try:
        report = check_procurement_file(path)
    except StandardsInputError as error:
        raise _standards_failed(error, path, name) from error
    except (UnicodeDecodeError, OSError) as error:
        raise _unreadable(error, name) from error
    return report.to_dict()


def employers_check(*, path: Path, name: str, as_at: dt.date | None = None) -> dict[str, Any]:
    """Per employer the section 4.3 commitments met and missing, and the charters signed."""
    try:
        report = check_employers_file(path, as_at=as_at)
    except StandardsInputError as error:
        raise _standards_failed(error, path, name) from error
    except (UnicodeDecodeError, OSError) as error:
        raise _unreadable(error, name) from error
    return report.to_dict()


def public_interest_assess(answers: Mapping[str, Any]) -> PublicInterestDecision:
    """Apply the public interest test to the form's answers (the engine's YAML shape)."""
    try:
        return assess_public_interest(answers)
    except StandardsInputError as error:
        raise CheckFailed(error.problems) from error


# --- saving as evidence ----------------------------------------------------------------------------


def _share(value: Any) -> str:
    return percent(value, missing="no items")


def headline_for(kind: str, summary: Mapping[str, Any]) -> str:
    """The result in one line, as the panels and the audit trail show it."""
    if kind == MeasureKind.PAYGAP:
        sex = next((part for part in summary.get("parts", []) if part.get("group") == "sex"), {})
        figures = sex.get("figures", {})
        return (f"Median hourly gender pay gap {figures.get('DiffMedianHourlyPercent')}%, mean "
                f"{figures.get('DiffMeanHourlyPercent')}% ({summary.get('relevant_employees')} relevant employees, "
                f"snapshot {summary.get('snapshot_date')})")
    if kind == MeasureKind.JOB_GUARANTEE:
        totals = summary.get("summary", {})
        return (f"{totals.get('meeting_all')} of {totals.get('total')} placements meet all six conditions "
                f"({_share(totals.get('share_meeting_all'))})")
    if kind == MeasureKind.PROCUREMENT:
        totals = summary.get("summary", {})
        return (f"{_share(totals.get('share_of_spend_meeting'))} of spend under fair-work terms "
                f"({totals.get('contracts_meeting')} of {totals.get('contracts')} contracts)")
    if kind == MeasureKind.EMPLOYERS:
        totals = summary.get("summary", {})
        return (f"{totals.get('meeting_all')} of {totals.get('total')} employers meet every commitment asked "
                f"of their size ({_share(totals.get('share_meeting_all'))})")
    if kind == MeasureKind.PUBLIC_INTEREST:
        decision = summary.get("decision", {})
        words = "in-house" if decision.get("recommendation") == "in_house" else "outsource"
        scores = decision.get("scores", {})
        return (f"{decision.get('service')}: {words} (in-house {scores.get('in_house')}, outsourced "
                f"{scores.get('outsourced')})")
    return ""


def _aggregate(kind: str, summary: Mapping[str, Any]) -> dict[str, Any]:
    """What is kept: the aggregate figures only (per-row detail of files is dropped)."""
    if kind in (MeasureKind.JOB_GUARANTEE, MeasureKind.EMPLOYERS):
        return {"summary": dict(summary.get("summary", {}))}
    if kind == MeasureKind.PROCUREMENT:
        return {"standard": summary.get("standard"), "summary": dict(summary.get("summary", {})),
                "buyers": list(summary.get("buyers", []))}
    return dict(summary)


def recommendation_for(kind: str) -> Recommendation | None:
    """The recommendation of the default plan that this check serves, if that plan is loaded."""
    plan = catalogue_selectors.plan_default()
    if plan is None:
        return None
    return Recommendation.objects.filter(plan=plan, slug=CHECKS[kind].recommendation, retired=False).first()


class ResultStale(Exception):
    """The result changed (published, returned) since the moderator's page was opened."""


@transaction.atomic
def measure_result_save(*, actor: Actor, kind: str, organisation: Organisation, summary: Mapping[str, Any],
                        title: str = "") -> MeasureResult:
    """Save a check's aggregate result as evidence of ``organisation``, on the recommendation it serves.

    Only members of the organisation may; raises ``PermissionDenied`` otherwise. The result waits
    for moderation: it is not public, and gives no indicator figure, until a moderator publishes it.
    """
    if kind not in CHECKS:
        raise ValueError(f"unknown check {kind!r}")
    if not permissions.can_save_result(actor, organisation):
        raise PermissionDenied("Only members of the organisation can save a check as its evidence.")
    kept = _aggregate(kind, summary)
    result = MeasureResult.objects.create(
        kind=kind, organisation=organisation, recommendation=recommendation_for(kind),
        title=(title or CHECKS[kind].title)[:300], headline=headline_for(kind, kept)[:300], summary=kept,
        created_by=actor, state=ResultState.SUBMITTED,
    )
    audit_record(actor=actor, action="measures.result.save", object_type="measures.MeasureResult",
                 object_id=str(result.pk), summary=result.headline,
                 data={"kind": kind, "organisation": organisation.slug, "state": result.state,
                       "recommendation": result.recommendation.slug if result.recommendation else None})
    from recovery_tracker.measures import evidence

    # The draft update goes through the updates' own moderation when its writers submit it.
    update = evidence.progress_draft_for(actor, result)
    if update is not None:
        result.progress_update = update
        result.save(update_fields=["progress_update"])
    return result


def _result_transition(result: MeasureResult, *, lock_version: int | None, **fields: Any) -> None:
    expected = result.lock_version if lock_version is None else lock_version
    changed = MeasureResult.objects.filter(pk=result.pk, state=ResultState.SUBMITTED, lock_version=expected).update(
        lock_version=F("lock_version") + 1, **fields)
    result.refresh_from_db()
    if changed != 1:
        raise ResultStale("This result was moderated or changed after you opened the page. Reload it and look "
                          "again.")


@transaction.atomic
def measure_result_publish(*, actor: Actor, result: MeasureResult, lock_version: int | None = None) -> MeasureResult:
    """Publish a saved result: it becomes public evidence and its figure an indicator observation."""
    if not permissions.can_moderate_result(actor, result):
        raise PermissionDenied("Only a moderator other than the person who saved it can publish this result.")
    _result_transition(result, lock_version=lock_version, state=ResultState.PUBLISHED, moderated_by=actor,
                       moderated_at=timezone.now(), return_reason="")
    audit_record(actor=actor, action="measures.result.publish", object_type="measures.MeasureResult",
                 object_id=str(result.pk), summary=f"Published: {result.headline}",
                 data={"kind": result.kind, "organisation": result.organisation.slug})
    from recovery_tracker.measures import observations

    observations.record_for(result)
    return result


@transaction.atomic
def measure_result_return(*, actor: Actor, result: MeasureResult, reason: str,
                          lock_version: int | None = None) -> MeasureResult:
    """Decline to publish a saved result, with the reason; it stays private to its organisation."""
    if not permissions.can_moderate_result(actor, result):
        raise PermissionDenied("Only a moderator other than the person who saved it can return this result.")
    if not reason.strip():
        raise ValueError("Give the reason the result is not published")
    _result_transition(result, lock_version=lock_version, state=ResultState.RETURNED, moderated_by=actor,
                       moderated_at=timezone.now(), return_reason=reason.strip())
    audit_record(actor=actor, action="measures.result.return", object_type="measures.MeasureResult",
                 object_id=str(result.pk), summary=f"Not published: {reason.strip()}",
                 data={"kind": result.kind, "organisation": result.organisation.slug})
    return result
