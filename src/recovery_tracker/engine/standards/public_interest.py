"""The public interest "make or buy" test (plan section 6), with in-house delivery as the default.

Callable with plain Python values (a web form builds the same mapping as the YAML input):

    decision = assess_public_interest({"service": ..., "criteria": {"accountability": {
        "evidence": "...", "in_house": 4, "outsourced": 2}, ...}})
    decision.recommendation   # "in_house" or "outsource"
    decision.to_dict()

The criteria, weights, scale and decision rule are data (``data/standards/public-interest-test.yaml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from recovery_tracker.engine.problems import Problem
from recovery_tracker.engine.standards._data import default_data_path, read_yaml_mapping
from recovery_tracker.engine.standards.tabular import StandardsInputError

__all__ = [
    "DECISION_TYPES",
    "CriterionAssessment",
    "PublicInterestCriterion",
    "PublicInterestDecision",
    "PublicInterestTest",
    "ReviewEntry",
    "assess_public_interest",
    "assess_public_interest_file",
    "decision_rule_text",
    "employment_veto",
    "load_public_interest_test",
    "outsourcing_has_strong_case",
    "DECISION_WORDS",
    "RECOMMENDATION_WORDS",
    "review_action",
    "weighted_score",
]

DECISION_TYPES = ("new_commissioning", "contract_renewal", "contract_review")
OPTIONS = ("in_house", "outsourced")


@dataclass(frozen=True)
class PublicInterestCriterion:
    id: str
    title: str
    plan_text: str
    indicators: str
    weight: float


@dataclass(frozen=True)
class PublicInterestTest:
    """The published test: criteria with weights, the score scale and the decision rule."""

    id: str
    name: str
    criteria: tuple[PublicInterestCriterion, ...]
    scale_min: int
    scale_max: int
    scale_labels: Mapping[int, str]
    outsourcing_margin_points: float
    veto_criterion: str
    veto_pass_mark: int
    veto_not_worse_than_in_house: bool
    terminate_margin_points: float
    source: Mapping[str, Any]
    weights_source: str

    def criterion(self, criterion_id: str) -> PublicInterestCriterion:
        return next(item for item in self.criteria if item.id == criterion_id)


def load_public_interest_test(path: Path | str | None = None) -> PublicInterestTest:
    """Read the test's criteria, weights and decision rule (default: the shipped YAML)."""
    path = Path(path) if path else default_data_path("public-interest-test.yaml")
    data = read_yaml_mapping(path)
    rule = data.get("decision_rule") or {}
    veto = rule.get("veto") or {}
    scale = data.get("scale") or {}
    criteria = tuple(
        PublicInterestCriterion(
            id=str(item["id"]),
            title=str(item.get("title", item["id"])),
            plan_text=str(item.get("plan_text", "")),
            indicators=str(item.get("indicators", "")),
            weight=float(item.get("weight", 1)),
        )
        for item in data.get("criteria") or []
    )
    veto_criterion = str(veto.get("criterion", "employment_conditions"))
    if not criteria or veto_criterion not in {item.id for item in criteria}:
        raise StandardsInputError([Problem(
            f"needs a 'criteria' list that includes the veto criterion '{veto_criterion}'.",
            column="criteria", file=str(path))])
    return PublicInterestTest(
        id=str(data.get("id", path.stem)),
        name=str(data.get("name", path.stem)),
        criteria=criteria,
        scale_min=int(scale.get("min", 0)),
        scale_max=int(scale.get("max", 5)),
        scale_labels={int(key): str(value) for key, value in (scale.get("labels") or {}).items()},
        outsourcing_margin_points=float(rule.get("outsourcing_margin_points", 10)),
        veto_criterion=veto_criterion,
        veto_pass_mark=int(veto.get("pass_mark", 3)),
        veto_not_worse_than_in_house=bool(veto.get("not_worse_than_in_house", True)),
        terminate_margin_points=float(rule.get("terminate_margin_points", 10)),
        source=data.get("source") or {},
        weights_source=str(data.get("weights_source", "")),
    )


def decision_rule_text(test: PublicInterestTest) -> str:
    """The published decision rule in words, printed on every decision record."""
    veto = test.criterion(test.veto_criterion).title
    worse = " or scores below the in-house option on it" if test.veto_not_worse_than_in_house else ""
    return (
        f"In-house delivery is the default. Each option is scored {test.scale_min}-{test.scale_max} on each "
        f"criterion; scores are weighted and expressed as a percentage of the maximum. Outsourcing is recommended "
        f"only where its weighted score exceeds the in-house option's (with its improvement plan) by at least "
        f"{test.outsourcing_margin_points:g} percentage points, and never where it scores below "
        f"{test.veto_pass_mark} on '{veto}'{worse}: a failure on employment conditions cannot be outweighed. "
        f"For an existing contract: keep it where the test finds a strong case for outsourcing; terminate it "
        f"where in-house leads by at least {test.terminate_margin_points:g} points, or leads at all while the "
        f"contract fails on employment conditions; otherwise renegotiate."
    )


@dataclass(frozen=True)
class CriterionAssessment:
    criterion: PublicInterestCriterion
    evidence: str
    in_house: int
    outsourced: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.criterion.id,
            "title": self.criterion.title,
            "weight": self.criterion.weight,
            "evidence": self.evidence,
            "in_house": self.in_house,
            "outsourced": self.outsourced,
        }


@dataclass(frozen=True)
class ReviewEntry:
    """An entry for the contract review register: keep, renegotiate or terminate, with reasons."""

    reference: str
    supplier: str
    ends: date | None
    action: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "supplier": self.supplier,
            "ends": self.ends.isoformat() if self.ends else None,
            "action": self.action,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class PublicInterestDecision:
    """The decision record: inputs, scores, the rule applied, the recommendation and its reasons."""

    test: PublicInterestTest
    service: str
    body: str
    decision_type: str
    assessed_on: date | None
    assessed_by: str
    in_house_improvement_plan: str
    criteria: tuple[CriterionAssessment, ...]
    in_house_score: float
    outsourced_score: float
    employment_fails: bool
    employment_reason: str
    strong_case_for_outsourcing: bool
    recommendation: str
    reasons: tuple[str, ...]
    review_register: tuple[ReviewEntry, ...] = field(default_factory=tuple)

    @property
    def margin(self) -> float:
        """Outsourced minus in-house weighted score, in percentage points."""
        return round(self.outsourced_score - self.in_house_score, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": {"id": self.test.id, "name": self.test.name, "decision_rule": decision_rule_text(self.test)},
            "service": self.service,
            "body": self.body,
            "decision_type": self.decision_type,
            "assessed_on": self.assessed_on.isoformat() if self.assessed_on else None,
            "assessed_by": self.assessed_by,
            "in_house_improvement_plan": self.in_house_improvement_plan,
            "criteria": [item.to_dict() for item in self.criteria],
            "scores": {"in_house": self.in_house_score, "outsourced": self.outsourced_score, "margin": self.margin},
            "employment_conditions": {"outsourced_fails": self.employment_fails, "reason": self.employment_reason},
            "strong_case_for_outsourcing": self.strong_case_for_outsourcing,
            "recommendation": self.recommendation,
            "reasons": list(self.reasons),
            "review_register": [entry.to_dict() for entry in self.review_register],
        }


# --- rules -----------------------------------------------------------------------------------------


def weighted_score(assessments: tuple[CriterionAssessment, ...], option: str, test: PublicInterestTest) -> float:
    """An option's weighted score as a percentage of the maximum (0-100, one decimal place).

    Rule (plan, section 6): decisions rest on "clear, measurable 'make or buy' criteria"; each
    criterion's score counts in proportion to its published weight.
    """
    total_weight = sum(item.criterion.weight for item in assessments)
    span = test.scale_max - test.scale_min
    if not total_weight or not span:
        return 0.0
    points = sum(item.criterion.weight * (getattr(item, option) - test.scale_min) for item in assessments)
    return cast(float, round(100 * points / (total_weight * span), 1))


def employment_veto(assessments: tuple[CriterionAssessment, ...], test: PublicInterestTest) -> tuple[bool, str]:
    """Whether the outsourced option fails on employment conditions (a failure cannot be outweighed).

    Rule (plan, section 6): the delivery mechanism must best promote "high-quality employment
    conditions, pay and pensions". It fails below the pass mark, or (where the test says so) when it
    scores below the in-house option, since that would create a two-tier workforce.
    """
    item = next(entry for entry in assessments if entry.criterion.id == test.veto_criterion)
    if item.outsourced < test.veto_pass_mark:
        return True, (f"The outsourced option scores {item.outsourced} on {item.criterion.title.lower()}, below the "
                      f"pass mark of {test.veto_pass_mark}; this cannot be outweighed by other criteria.")
    if test.veto_not_worse_than_in_house and item.outsourced < item.in_house:
        return True, (f"The outsourced option scores {item.outsourced} on {item.criterion.title.lower()}, below "
                      f"the in-house option's {item.in_house}; this cannot be outweighed by other criteria.")
    return False, (f"The outsourced option scores {item.outsourced} on {item.criterion.title.lower()} "
                   f"(in-house {item.in_house}): it passes.")


def outsourcing_has_strong_case(in_house: float, outsourced: float, employment_fails: bool,
                                test: PublicInterestTest) -> bool:
    """Rule (plan, section 6): in-house "by default ... only outsourcing where there is a strong public
    interest for doing so". Strong means: outsourced leads by at least the published margin and does
    not fail on employment conditions.
    """
    return not employment_fails and outsourced - in_house >= test.outsourcing_margin_points


def review_action(decision_in_house: float, decision_outsourced: float, employment_fails: bool,
                  strong_case: bool, shortfalls: list[str], test: PublicInterestTest) -> tuple[str, list[str]]:
    """Keep, renegotiate or terminate an existing contract, with reasons.

    Rule (plan, section 6): "reviewing existing contracts with a view to renegotiating and/or
    terminating such contracts where this is demonstrably in the public interest". Terminate where
    in-house leads by the published margin or employment conditions fail with in-house ahead; keep
    where the test finds a strong case for outsourcing; otherwise renegotiate the shortfalls.
    """
    lead = round(decision_in_house - decision_outsourced, 1)
    if strong_case:
        return "keep", [f"The test finds a strong public-interest case for contracting out (outsourced "
                        f"{decision_outsourced} against in-house {decision_in_house})."]
    if lead >= test.terminate_margin_points or (employment_fails and lead > 0):
        reasons = [f"In-house delivery leads by {lead:g} points (outsourced {decision_outsourced} against in-house "
                   f"{decision_in_house}): bringing the service in-house is demonstrably in the public interest."]
        if employment_fails:
            reasons.append("The contract fails on employment conditions, pay and pensions.")
        reasons.append("Terminate at the earliest break or on expiry and bring the service in-house.")
        return "terminate", reasons
    reasons = ["There is no strong case for outsourcing, and in-house does not lead by enough to show that "
               "termination is demonstrably in the public interest."]
    if shortfalls:
        reasons.append("Renegotiate where the contract falls short of the in-house option: "
                       + "; ".join(shortfalls) + ".")
    else:
        reasons.append("Renegotiate to secure the margin the test requires, or plan to bring the service "
                       "in-house on expiry.")
    return "renegotiate", reasons


# --- assessing -------------------------------------------------------------------------------------


def _score(value: Any, where: str, test: PublicInterestTest, errors: list[Problem], file: str | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().lstrip("-").isdigit():
        errors.append(Problem(f"'{value}' is not a whole-number score. Enter {test.scale_min} to "
                                f"{test.scale_max}.", column=where, file=file))
        return test.scale_min
    number = int(value)
    if not test.scale_min <= number <= test.scale_max:
        errors.append(Problem(f"{number} is outside the scale. Enter {test.scale_min} to {test.scale_max}.",
                                column=where, file=file))
    return number


def _optional_date(value: Any, where: str, errors: list[Problem], file: str | None) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.append(Problem(f"'{value}' is not a date. Enter it as YYYY-MM-DD.", column=where, file=file))
        return None


def assess_public_interest(answers: Mapping[str, Any], *, test: PublicInterestTest | None = None,
                           file: str | None = None) -> PublicInterestDecision:
    """Apply the public interest test to one service.

    ``answers`` holds ``service``, optional ``body``, ``decision`` (one of ``DECISION_TYPES``),
    ``assessed_on``, ``assessed_by``, ``in_house_improvement_plan``, ``existing_contracts`` (a list of
    ``{reference, supplier, ends}``) and ``criteria``: for every criterion id a mapping with
    ``evidence`` (text), ``in_house`` and ``outsourced`` (whole-number scores). Raises
    ``StandardsInputError`` naming every missing or bad field (as ``criteria.<id>.<field>``).
    """
    test = test or load_public_interest_test()
    errors: list[Problem] = []
    service = str(answers.get("service") or "").strip()
    if not service:
        errors.append(Problem("is empty. Name the service being assessed.", column="service", file=file))
    decision_type = str(answers.get("decision") or "new_commissioning").strip()
    if decision_type not in DECISION_TYPES:
        errors.append(Problem(f"'{decision_type}' is not a decision type. Use one of: "
                                f"{', '.join(DECISION_TYPES)}.", column="decision", file=file))
    assessed_on = _optional_date(answers.get("assessed_on"), "assessed_on", errors, file)
    given = answers.get("criteria")
    if not isinstance(given, Mapping):
        errors.append(Problem("is missing. Give evidence and scores for each of the seven criteria: "
                                + ", ".join(item.id for item in test.criteria) + ".", column="criteria", file=file))
        given = {}
    known = {item.id for item in test.criteria}
    for unknown in sorted(set(given) - known):
        errors.append(Problem(f"'{unknown}' is not a criterion of this test. Use: {', '.join(sorted(known))}.",
                                column=f"criteria.{unknown}", file=file))
    assessments: list[CriterionAssessment] = []
    for criterion in test.criteria:
        entry = given.get(criterion.id)
        where = f"criteria.{criterion.id}"
        if not isinstance(entry, Mapping):
            errors.append(Problem(f"is missing. Give evidence and an in-house and an outsourced score for "
                                    f"'{criterion.title}'.", column=where, file=file))
            continue
        evidence = str(entry.get("evidence") or "").strip()
        if not evidence:
            errors.append(Problem("is empty. Every score needs the evidence it rests on.",
                                    column=f"{where}.evidence", file=file))
        scores = {option: _score(entry.get(option), f"{where}.{option}", test, errors, file) for option in OPTIONS}
        assessments.append(CriterionAssessment(criterion, evidence, scores["in_house"], scores["outsourced"]))
    contracts = answers.get("existing_contracts") or []
    if not isinstance(contracts, list):
        errors.append(Problem("must be a list of contracts (reference, supplier, ends).",
                                column="existing_contracts", file=file))
        contracts = []
    contract_details: list[tuple[str, str, date | None]] = []
    for index, contract in enumerate(contracts, start=1):
        where = f"existing_contracts.{index}"
        if not isinstance(contract, Mapping) or not (contract.get("reference") or contract.get("supplier")):
            errors.append(Problem("needs a reference or a supplier.", column=where, file=file))
            continue
        contract_details.append((str(contract.get("reference") or ""), str(contract.get("supplier") or ""),
                                 _optional_date(contract.get("ends"), f"{where}.ends", errors, file)))
    if errors:
        raise StandardsInputError(errors)

    scored = tuple(assessments)
    in_house = weighted_score(scored, "in_house", test)
    outsourced = weighted_score(scored, "outsourced", test)
    employment_fails, employment_reason = employment_veto(scored, test)
    strong = outsourcing_has_strong_case(in_house, outsourced, employment_fails, test)
    margin = round(outsourced - in_house, 1)
    reasons = [f"Weighted scores: in-house {in_house}, outsourced {outsourced} (out of 100)."]
    if strong:
        reasons.append(f"Outsourcing leads by {margin:g} points, at least the {test.outsourcing_margin_points:g} "
                       f"required, and passes on employment conditions: a strong public-interest case.")
    else:
        if employment_fails:
            reasons.append(employment_reason)
        if margin < 0:
            reasons.append(f"In-house delivery scores {-margin:g} points higher than outsourcing.")
        elif margin < test.outsourcing_margin_points:
            reasons.append(f"Outsourcing leads by only {margin:g} points; a strong case needs at least "
                           f"{test.outsourcing_margin_points:g}.")
        reasons.append("In-house delivery is the default and stands.")
    shortfalls = [f"{item.criterion.title.lower()} ({item.outsourced} against {item.in_house})"
                  for item in scored if item.outsourced < item.in_house]
    register: list[ReviewEntry] = []
    for reference, supplier, ends in contract_details:
        action, action_reasons = review_action(in_house, outsourced, employment_fails, strong, shortfalls, test)
        register.append(ReviewEntry(reference, supplier, ends, action, tuple(action_reasons)))
    return PublicInterestDecision(
        test=test,
        service=service,
        body=str(answers.get("body") or "").strip(),
        decision_type=decision_type,
        assessed_on=assessed_on,
        assessed_by=str(answers.get("assessed_by") or "").strip(),
        in_house_improvement_plan=str(answers.get("in_house_improvement_plan") or "").strip(),
        criteria=scored,
        in_house_score=in_house,
        outsourced_score=outsourced,
        employment_fails=employment_fails,
        employment_reason=employment_reason,
        strong_case_for_outsourcing=strong,
        recommendation="outsource" if strong else "in_house",
        reasons=tuple(reasons),
        review_register=tuple(register),
    )


def assess_public_interest_file(path: Path | str, *, test_path: Path | str | None = None) -> PublicInterestDecision:
    """Read a YAML assessment and apply the test; errors name the file and field."""
    answers = read_yaml_mapping(path)
    return assess_public_interest(answers, test=load_public_interest_test(test_path), file=str(path))


# --- words for the decision record (the record itself is a template: measures/records/) -------

RECOMMENDATION_WORDS = {
    "in_house": "Deliver the service in-house",
    "outsource": "Outsourcing is justified: there is a strong public-interest case",
}
DECISION_WORDS = {
    "new_commissioning": "new commissioning decision",
    "contract_renewal": "contract renewal",
    "contract_review": "review of an existing contract",
}
