"""Plan files with mistakes give errors that name the file, the item and the field."""

from pathlib import Path

import pytest
import yaml

from recovery_tracker.engine.plan import PlanError, plan_parse, plan_read

TEST_PLAN = Path(__file__).resolve().parent.parent / "data" / "plan-TEST-minimal.yaml"


def _data():
    return yaml.safe_load(TEST_PLAN.read_text())


def test_the_test_plan_is_valid():
    plan_file = plan_read(TEST_PLAN)
    assert [r.id for r in plan_file.recommendations] == ["1-a", "2-a"]


def test_missing_quote_names_recommendation_and_field():
    data = _data()
    del data["recommendations"][0]["quote"]
    with pytest.raises(PlanError) as caught:
        plan_parse(data, path="plans/x.yaml")
    message = str(caught.value)
    assert message.startswith("plans/x.yaml")
    assert "recommendation 1-a, field quote" in message


def test_bad_kind_names_the_allowed_values():
    data = _data()
    data["recommendations"][1]["kind"] = "wish"
    with pytest.raises(PlanError) as caught:
        plan_parse(data)
    assert "recommendation 2-a, field kind" in str(caught.value)
    assert "'target'" in str(caught.value)


def test_unknown_section_and_duplicate_id_are_both_reported():
    data = _data()
    data["recommendations"][0]["section"] = "9"
    data["recommendations"][1]["id"] = "1-a"
    with pytest.raises(PlanError) as caught:
        plan_parse(data)
    problems = str(caught.value.problems[0])
    assert "unknown section '9'" in problems
    assert "'1-a' is used twice" in problems


def test_invalid_yaml_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("plan:\n  id: [unclosed\n")
    with pytest.raises(PlanError) as caught:
        plan_read(path)
    assert str(path) in str(caught.value)
    assert "line" in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(PlanError, match="cannot read the file"):
        plan_read(tmp_path / "nope.yaml")


def test_ids_must_be_url_safe():
    data = _data()
    data["organisations"][0]["id"] = "Test Authority"
    with pytest.raises(PlanError) as caught:
        plan_parse(data)
    assert "organisation Test Authority, field id" in str(caught.value)
    assert "lower-case letters" in str(caught.value)


def _with_group(members):
    data = _data()
    data["organisations"].append({"id": "test-councils", "name": "Test councils (TEST)", "members": members})
    return data


def test_a_group_lists_its_members():
    data = _with_group(["test-authority", "test-old-body"])
    plan_file = plan_parse(data)
    group = next(o for o in plan_file.organisations if o.id == "test-councils")
    assert group.members == ("test-authority", "test-old-body")


@pytest.mark.parametrize(("members", "expected"), [
    (["no-such-council"], "field members: unknown organisation 'no-such-council'"),
    (["test-councils"], "field members: a group cannot be a member of itself"),
    (["test-authority", "test-authority"], "field members: a member is listed twice"),
])
def test_bad_members_are_named(members, expected):
    with pytest.raises(PlanError) as caught:
        plan_parse(_with_group(members), path="plans/x.yaml")
    assert f"organisation test-councils, {expected}" in str(caught.value)


def test_a_group_cannot_contain_a_group():
    data = _with_group(["test-authority"])
    data["organisations"].append({"id": "test-outer", "name": "Outer (TEST)", "members": ["test-councils"]})
    with pytest.raises(PlanError) as caught:
        plan_parse(data)
    assert "organisation test-outer, field members: 'test-councils' is itself a group" in str(caught.value)
