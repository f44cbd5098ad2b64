"""Loading a plan: idempotent, updates by id, never deletes history, all or nothing."""

from pathlib import Path

import pytest
import yaml

from recovery_tracker.audit.models import AuditEntry
from recovery_tracker.catalogue.models import Fact, Organisation, Plan, Recommendation
from recovery_tracker.catalogue.services import plan_load
from recovery_tracker.engine.plan import PlanError

TEST_PLAN = Path(__file__).resolve().parent.parent / "data" / "plan-TEST-minimal.yaml"


def _copy_plan(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(TEST_PLAN.read_text())
    change(data)
    (tmp_path / "plan-TEST-minimal.source.txt").write_text(
        (TEST_PLAN.parent / "plan-TEST-minimal.source.txt").read_text())
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    first = plan_load(path=TEST_PLAN)
    audit_rows = AuditEntry.objects.count()
    second = plan_load(path=TEST_PLAN)
    assert first.changed and not second.changed
    assert "nothing changed" in second.summary()
    assert Recommendation.objects.count() == 2
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.django_db
def test_a_revised_file_updates_by_id_and_keeps_removed_items(tmp_path):
    plan_load(path=TEST_PLAN)

    def revise(data):
        data["recommendations"][0]["title"] = "Build revised test homes"
        del data["recommendations"][1]

    result = plan_load(path=_copy_plan(tmp_path, revise))
    assert Recommendation.objects.get(slug="1-a").title == "Build revised test homes"
    kept = Recommendation.objects.get(slug="2-a")
    assert kept.retired, "a recommendation dropped from the file is kept, marked retired"
    assert result.retired == ["2-a"]


@pytest.mark.django_db
def test_a_bad_file_writes_nothing(tmp_path):
    def break_it(data):
        data["recommendations"][1]["addressees"] = [{"organisation": "nobody"}]

    with pytest.raises(PlanError) as caught:
        plan_load(path=_copy_plan(tmp_path, break_it))
    assert "recommendation 2-a, field addressees" in str(caught.value)
    assert not Plan.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_cross_checks_are_stored_with_the_facts():
    plan_load(path=TEST_PLAN)
    total = Fact.objects.get(slug="total")
    assert total.checks[0]["outcome"] == "holds"
    assert total.checks[0]["label"] == "Holds"


@pytest.mark.django_db
def test_successor_is_recorded():
    plan_load(path=TEST_PLAN)
    old = Organisation.objects.get(slug="test-old-body")
    assert old.successor.slug == "test-authority"
    assert old.states.get().state == "closed"
