"""Forms of the checks. Messages follow the GOV.UK pattern: say what to do, name the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from recovery_tracker.catalogue.models import Organisation
from recovery_tracker.engine.standards.public_interest import DECISION_TYPES, PublicInterestTest

DECISION_LABELS = {
    "new_commissioning": "A new commissioning decision",
    "contract_renewal": "Renewing a contract",
    "contract_review": "Reviewing an existing contract",
}


def _date_from_parts(form: forms.Form, prefix: str, label: str, *, required: bool) -> dt.date | None:
    """Combine a GOV.UK date input (day, month, year) into a date, or add one error to the day field."""
    parts = [str(form.cleaned_data.get(f"{prefix}_{part}") or "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        if required:
            form.add_error(f"{prefix}_day", f"Enter the {label}")
        return None
    names = ["day", "month", "year"]
    missing = [name for name, value in zip(names, parts, strict=True) if not value]
    if missing:
        form.add_error(f"{prefix}_day", f"The {label} must include a {' and '.join(missing)}")
        return None
    try:
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        form.add_error(f"{prefix}_day", f"The {label} must be a real date, for example 5 4 2025")
        return None


class PayrollUploadForm(forms.Form):
    file = forms.FileField(required=False)
    snapshot_day = forms.CharField(required=False, max_length=2)
    snapshot_month = forms.CharField(required=False, max_length=2)
    snapshot_year = forms.CharField(required=False, max_length=4)
    low_pay_amount = forms.DecimalField(
        required=False, min_value=Decimal("0.01"), max_value=Decimal("1000"), decimal_places=2,
        error_messages={"invalid": "Enter the low pay threshold as an amount in pounds, like 10.00",
                        "min_value": "The low pay threshold must be more than £0",
                        "max_value": "The low pay threshold must be £1,000 an hour or less",
                        "max_decimal_places": "Enter the low pay threshold in pounds and pence, like 10.50"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["snapshot_date"] = _date_from_parts(self, "snapshot", "snapshot date", required=True)
        return cleaned


class StandardsUploadForm(forms.Form):
    file = forms.FileField(required=False)


class PublicInterestAboutForm(forms.Form):
    service = forms.CharField(max_length=200, error_messages={"required": "Enter the service being assessed"})
    body = forms.CharField(max_length=200, required=False)
    decision = forms.ChoiceField(
        choices=[(key, DECISION_LABELS[key]) for key in DECISION_TYPES],
        error_messages={"required": "Select what kind of decision this is",
                        "invalid_choice": "Select what kind of decision this is"},
    )
    assessed_on_day = forms.CharField(required=False, max_length=2)
    assessed_on_month = forms.CharField(required=False, max_length=2)
    assessed_on_year = forms.CharField(required=False, max_length=4)
    assessed_by = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assessed_on = _date_from_parts(self, "assessed_on", "date of the assessment", required=False)
        if assessed_on and assessed_on > dt.date.today():
            self.add_error("assessed_on_day", "The date of the assessment must be today or in the past")
        cleaned["assessed_on"] = assessed_on.isoformat() if assessed_on else ""
        return cleaned


class PublicInterestCriterionForm(forms.Form):
    """One criterion: the evidence, and a score for each option on the test's scale."""

    evidence = forms.CharField(max_length=5000, widget=forms.Textarea)
    in_house = forms.TypedChoiceField(coerce=int)
    outsourced = forms.TypedChoiceField(coerce=int)

    def __init__(self, *args: Any, test: PublicInterestTest, title: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), str(n)) for n in range(test.scale_min, test.scale_max + 1)]
        self.scale = [(str(n), test.scale_labels.get(n, "")) for n in range(test.scale_min, test.scale_max + 1)]
        lowered = title[0].lower() + title[1:]
        self.fields["evidence"].error_messages["required"] = f"Enter the evidence on {lowered}"
        for name, option in (("in_house", "in-house"), ("outsourced", "outsourced")):
            self.fields[name].choices = choices
            message = f"Select a score for the {option} option"
            self.fields[name].error_messages.update({"required": message, "invalid_choice": message})


class PublicInterestContractsForm(forms.Form):
    in_house_improvement_plan = forms.CharField(max_length=5000, required=False, widget=forms.Textarea)
    existing_contracts = forms.CharField(max_length=20000, required=False, widget=forms.Textarea)

    def clean_existing_contracts(self) -> list[dict[str, str]]:
        """One contract a line: ``reference, supplier, end date (YYYY-MM-DD, may be blank)``."""
        contracts: list[dict[str, str]] = []
        for number, line in enumerate(self.cleaned_data["existing_contracts"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",")]
            if len(parts) > 3:
                raise forms.ValidationError(
                    f"Line {number} has more than three parts: write reference, supplier, end date "
                    f"(leave commas out of the supplier's name)")
            reference, supplier, ends = (parts + ["", ""])[:3]
            if not (reference or supplier):
                raise forms.ValidationError(f"Line {number} needs a contract reference or a supplier")
            if ends:
                try:
                    dt.date.fromisoformat(ends)
                except ValueError:
                    raise forms.ValidationError(
                        f"Line {number}: the end date must be written like 2027-03-31") from None
            contracts.append({"reference": reference, "supplier": supplier, "ends": ends})
        return contracts


class SaveResultForm(forms.Form):
    """Save a check's result as evidence of one of the signed-in person's organisations."""

    result = forms.CharField(widget=forms.HiddenInput)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        error_messages={"required": "Select the organisation this result is evidence for",
                        "invalid_choice": "Select one of your organisations"},
    )
    title = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, organisations: list[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page offers the person's own organisations; any other is refused by the permission check.
        self.organisations = organisations or []
