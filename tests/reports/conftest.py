"""Made-up progress and statistics for the report tests (TEST data: nothing here is a real finding).

Progress goes through the progress services (draft, submit, publish) exactly as the site writes it;
statistics are stored straight into the indicators models with names that say they are samples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

SAMPLE_LINK_TEST = "https://example.org/sample-evidence-TEST"


@dataclass
class SampleProgressTEST:
    plan: object
    target_rec: object  # a recommendation with a target, addressed to the WMCA
    overdue_rec: object  # a recommendation the WMCA promised by a date that has passed
    # Dates the tests reason about
    planned_on: dt.date = dt.date(2021, 6, 1)
    in_progress_on: dt.date = dt.date(2023, 3, 1)
    stalled_on: dt.date = dt.date(2023, 5, 1)


def _publish(*, author, moderator, recommendation, organisation, voice, **fields):
    from recovery_tracker.progress.services import UpdateData, update_create_draft, update_publish, update_submit

    update = update_create_draft(actor=author, recommendation=recommendation, organisation=organisation,
                                 voice=voice, data=UpdateData(**fields))
    update_submit(actor=author, update=update)
    return update_publish(actor=moderator, update=update)


@pytest.fixture
def publish_TEST():
    """Draft, submit and publish one update through the progress services."""
    return _publish


@pytest.fixture
def sample_progress_TEST(west_midlands):
    from django.contrib.auth import get_user_model

    from recovery_tracker.accounts.services import membership_add
    from recovery_tracker.catalogue.models import Organisation, Recommendation

    users = get_user_model().objects
    moderator = users.create_superuser("moderator-TEST", "moderator@example.org", "sample-password-TEST")
    officer = users.create_user("wmca-officer-TEST", "officer@example.org", "sample-password-TEST")
    assessor = users.create_user("tuc-assessor-TEST", "assessor@example.org", "sample-password-TEST")
    wmca = Organisation.objects.get(slug="wmca")
    tuc = Organisation.objects.get(slug="tuc")
    membership_add(actor=moderator, user=officer, organisation=wmca)
    membership_add(actor=moderator, user=assessor, organisation=tuc)

    addressed = Recommendation.objects.filter(plan=west_midlands, addressees__organisation=wmca).order_by("order")
    target_rec = addressed.filter(targets__isnull=False).first()
    overdue_rec = addressed.filter(targets__isnull=True).first()
    sample = SampleProgressTEST(plan=west_midlands, target_rec=target_rec, overdue_rec=overdue_rec)

    common = {"author": officer, "moderator": moderator, "organisation": wmca, "voice": "self_report"}
    _publish(recommendation=target_rec, body=wmca, date=sample.planned_on, status="planned", response="accepted",
             title="Sample TEST: plan agreed", links=[(SAMPLE_LINK_TEST, "Sample TEST evidence")], **common)
    _publish(recommendation=target_rec, body=wmca, date=sample.in_progress_on, status="in_progress",
             title="Sample TEST: work under way", **common)
    _publish(recommendation=target_rec, body=wmca, date=sample.stalled_on, status="stalled",
             title="Sample TEST: independent view", author=assessor, moderator=moderator, organisation=tuc,
             voice="independent_assessment")
    _publish(recommendation=overdue_rec, body=wmca, date=dt.date(2021, 1, 10), status="in_progress",
             target_date=dt.date(2022, 1, 1), title="Sample TEST: promised for January 2022", **common)
    return sample


@pytest.fixture
def sample_statistics_TEST(sample_progress_TEST):
    """A made-up indicator series for the target of ``sample_progress_TEST.target_rec``."""
    from recovery_tracker.indicators.models import Indicator, IndicatorTarget, Observation

    target = sample_progress_TEST.target_rec.targets.first()
    indicator = Indicator.objects.create(
        slug="sample-indicator-TEST", name="Sample indicator (TEST data)", unit=target.unit or "percent",
        direction="increase", headline_geography="E12000005", method="cagr",
        source="Sample statistics publisher (TEST)",
    )
    values = {2015: 10.0, 2016: 11.0, 2017: 12.5, 2018: 13.0, 2019: 14.2, 2020: 15.0, 2021: 16.1, 2022: 17.0}
    for year, value in values.items():
        Observation.objects.create(
            indicator=indicator, period=str(year), year=year, geography_code="E12000005",
            geography_name="West Midlands", geography_key="E12000005", value=value, unit=indicator.unit,
            source="Sample statistics publisher (TEST)", source_url="https://example.org/sample-statistics-TEST",
            release_date=dt.date(year + 1, 6, 30),
        )
    IndicatorTarget.objects.update_or_create(
        catalogue_target=target,
        defaults={"slug": "sample-target-TEST", "indicator": indicator, "description": target.description,
                  "value": target.value, "unit": target.unit, "deadline": target.deadline,
                  "target_year": target.deadline.year if target.deadline else 2030, "base_year": 2015,
                  "method": "cagr", "direction": "increase", "geography_key": "E12000005"},
    )
    return indicator


# The progress tests' people (member, moderator, ...) and their publish helper, for the publication tests.
def _people_fixtures() -> None:
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "progress" / "people_fixtures.py"
    if "progress_people_fixtures" not in sys.modules:
        spec = importlib.util.spec_from_file_location("progress_people_fixtures", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["progress_people_fixtures"] = module
        spec.loader.exec_module(module)


_people_fixtures()
from progress_people_fixtures import make_published, media_in_tmp, people, rec  # noqa: E402, F401
