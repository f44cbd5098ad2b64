"""The shipped baseline statistics: sources kept, revisions, targets and stated figures from the plan."""

from __future__ import annotations

import csv

import pytest

from recovery_tracker.indicators.models import Indicator, IndicatorTarget, Observation
from recovery_tracker.indicators.setup import shipped_statistics_paths, statistics_load_shipped

pytestmark = pytest.mark.django_db


def test_every_shipped_observation_keeps_its_source_period_and_area(shipped):
    rows = sum(len(list(csv.DictReader(p.open(encoding="utf-8")))) for p in shipped_statistics_paths())
    assert Observation.objects.count() == rows
    for obs in Observation.objects.all():
        assert obs.source and obs.period and obs.geography_key
    homes = Observation.objects.get(indicator__slug="net-additional-dwellings", geography_code="E08000025",
                                    period="2019/20")
    assert homes.value == 3795 and "Live Table 122" in homes.source and "revised" in homes.notes


def test_loading_twice_changes_nothing(shipped):
    count = Observation.objects.count()
    result, _ = statistics_load_shipped()
    assert not result.changed
    assert Observation.objects.count() == count


def test_later_2021_22_housing_figure_is_a_revision(shipped):
    rows = Observation.objects.filter(indicator__slug="housing-deal-completions", period="2021/22").order_by("revision")
    assert [(o.value, o.replaced_by_id is None) for o in rows] == [(16730, False), (17276, True)]


def test_renewable_share_records_its_definition_and_caveat(shipped):
    indicator = Indicator.objects.get(slug="renewable-share")
    assert "Definition chosen" in indicator.definition and "consumed" in indicator.definition
    assert "No official regional" in indicator.caveat
    assert indicator.direction == "increase"


def test_every_indicator_has_a_direction(shipped):
    assert not Indicator.objects.exclude(direction__in=["increase", "decrease"]).exists()


def test_plan_targets_become_indicator_targets_linked_to_recommendations(shipped):
    homes = IndicatorTarget.objects.get(slug="west-midlands-2020-housing-deal-215000-2031")
    assert (homes.value, homes.method, homes.cumulative, homes.target_year) == (215000, "linear", True, 2030)
    assert [r.slug for r in homes.recommendations.all()] == ["3.2-c"]
    # Issue 18: "more, or faster" is measured against the Housing Deal's own trajectory (15,257 a year).
    trajectory = IndicatorTarget.objects.get(slug="west-midlands-2020-housing-deal-trajectory-2031")
    assert (trajectory.value, trajectory.cumulative, trajectory.target_year) == (15257 * 11, True, 2030)
    assert [r.slug for r in trajectory.recommendations.all()] == ["3.2-c"]
    renewables = IndicatorTarget.objects.get(indicator__slug="renewable-share")
    assert (renewables.value, renewables.method, renewables.target_year) == (50, "cagr", 2030)


def test_stated_figures_are_the_first_observations_of_their_indicators(shipped):
    key_workers = Observation.objects.get(indicator__slug="key-workers")
    assert key_workers.value == 507380 and key_workers.fact.slug == "key-workers"
    assert "TUC" in key_workers.source
    assert Observation.objects.filter(fact__isnull=False).count() == 8
