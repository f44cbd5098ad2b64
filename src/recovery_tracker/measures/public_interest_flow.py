"""The public interest test as a multi-page form: one question group a page (about the decision, each
criterion, the contracts), answers kept in the session, then check-your-answers and the decision.

The views only show pages and say where to go; which step comes next, what is answered, and when the
answers make a decision live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recovery_tracker.engine.problems import Problem
from recovery_tracker.engine.standards.public_interest import PublicInterestDecision, load_public_interest_test
from recovery_tracker.measures import services

SESSION_KEY = "measures.public_interest"
ABOUT_FIELDS = ("service", "body", "decision", "assessed_on", "assessed_by")


def steps() -> list[str]:
    """The pages in order: "about", one per criterion (by id), then "contracts"."""
    return ["about", *[criterion.id for criterion in load_public_interest_test().criteria], "contracts"]


@dataclass
class PublicInterestFlow:
    """The answers so far, read from and written back to a session (any mapping)."""

    session: Any

    @property
    def state(self) -> dict[str, Any]:
        return self.session.get(SESSION_KEY) or {"about": None, "criteria": {}, "contracts": None}

    @property
    def started(self) -> bool:
        return bool(self.session.get(SESSION_KEY))

    def restart(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def _store(self, state: dict[str, Any]) -> None:
        self.session[SESSION_KEY] = state

    def step_done(self, step: str) -> bool:
        state = self.state
        if step in ("about", "contracts"):
            return state.get(step) is not None
        return step in state.get("criteria", {})

    def first_missing(self) -> str | None:
        return next((step for step in steps() if not self.step_done(step)), None)

    def next_step(self, step: str, *, changing: bool) -> str | None:
        """The next unanswered page after ``step``; None for check-your-answers (when changing an
        answer, or when everything after it is answered)."""
        order = steps()
        if not changing:
            for following in order[order.index(step) + 1:]:
                if not self.step_done(following):
                    return following
        return None

    @staticmethod
    def previous_step(step: str) -> str | None:
        order = steps()
        index = order.index(step)
        return None if index == 0 else order[index - 1]

    def about(self) -> dict[str, Any]:
        return self.state.get("about") or {}

    def about_save(self, cleaned: dict[str, Any]) -> None:
        state = self.state
        state["about"] = {key: cleaned[key] for key in ABOUT_FIELDS}
        # The date's three boxes, so a changed answer shows what was typed.
        state["about"].update({key: cleaned[key] for key in cleaned if "assessed_on_" in key})
        self._store(state)

    def criterion(self, criterion_id: str) -> dict[str, Any]:
        return self.state.get("criteria", {}).get(criterion_id) or {}

    def criterion_save(self, criterion_id: str, *, evidence: str, in_house: Any, outsourced: Any) -> None:
        state = self.state
        state.setdefault("criteria", {})[criterion_id] = {
            "evidence": evidence.strip(), "in_house": in_house, "outsourced": outsourced,
        }
        self._store(state)

    def contracts(self) -> dict[str, Any]:
        return self.state.get("contracts") or {}

    def contracts_save(self, *, in_house_improvement_plan: str, existing_contracts: Any, as_typed: str) -> None:
        state = self.state
        state["contracts"] = {
            "in_house_improvement_plan": in_house_improvement_plan.strip(),
            "existing_contracts": existing_contracts,
            "existing_contracts_text": as_typed,
        }
        self._store(state)

    def answers(self) -> dict[str, Any]:
        """Every answer in the shape the engine reads (``assess_public_interest``)."""
        state = self.state
        about = state.get("about") or {}
        contracts = state.get("contracts") or {}
        return {
            "service": about.get("service", ""),
            "body": about.get("body", ""),
            "decision": about.get("decision", ""),
            "assessed_on": about.get("assessed_on") or None,
            "assessed_by": about.get("assessed_by", ""),
            "in_house_improvement_plan": contracts.get("in_house_improvement_plan", ""),
            "existing_contracts": contracts.get("existing_contracts", []),
            "criteria": dict(state.get("criteria", {})),
        }

    def confirm(self) -> list[Problem]:
        """Assess the answers; if they make a decision, mark them confirmed. The problems otherwise."""
        try:
            services.public_interest_assess(self.answers())
        except services.CheckFailed as failed:
            return failed.problems
        state = self.state
        state["confirmed"] = True
        self._store(state)
        return []

    def confirmed_decision(self) -> tuple[PublicInterestDecision, dict[str, Any]] | None:
        """The decision and the answers it came from, once confirmed and complete; else None."""
        if not self.state.get("confirmed") or self.first_missing() is not None:
            return None
        answers = self.answers()
        try:
            return services.public_interest_assess(answers), answers
        except services.CheckFailed:
            return None
