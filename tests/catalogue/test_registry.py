"""Issue 16 (1): one organisation registry shared by every plan; no plan rewrites another's facts.

The second plan is made-up test data (tests/data/plan-TEST-second.yaml).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from recovery_tracker.catalogue.exports import plan_export_data
from recovery_tracker.catalogue.models import Organisation, Plan, Scheme
from recovery_tracker.catalogue.selectors import organisation_accountable
from recovery_tracker.catalogue.services import plan_load, plan_remove
from recovery_tracker.cli import app
from recovery_tracker.engine.plan import PlanError

ROOT = Path(__file__).resolve().parents[2]
WEST_MIDLANDS = ROOT / "src" / "recovery_tracker" / "data" / "plans" / "west-midlands-2020.yaml"
SECOND = ROOT / "tests" / "data" / "plan-TEST-second.yaml"
runner = CliRunner()


def _organisations() -> str:
    rows = []
    for org in Organisation.objects.select_related("successor").order_by("slug"):
        states = sorted(
            (s.date.isoformat(), s.state, s.note, s.source_title, s.source_url, s.field, s.value)
            for s in org.states.all())
        rows.append({
            "id": org.slug, "name": org.name, "short_name": org.short_name, "kind": org.kind,
            "independent_assessor": org.independent_assessor, "url": org.url,
            "successor": org.successor.slug if org.successor else None,
            "ended": org.ended.isoformat() if org.ended else None, "facts": org.facts, "states": states,
            "members": sorted(org.members.values_list("slug", flat=True)),
        })
    return json.dumps(rows, sort_keys=True, ensure_ascii=False)


def _schemes() -> str:
    return json.dumps(sorted(
        (s.slug, s.name, s.kind, sorted((st.date.isoformat(), st.state, st.source_url) for st in s.states.all()))
        for s in Scheme.objects.all()))


def _export(slug: str) -> str:
    return json.dumps(plan_export_data(Plan.objects.get(slug=slug)), sort_keys=True, ensure_ascii=False)


def _second_copy(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    change(data)
    shutil.copy(SECOND.with_name("plan-TEST-second.source.txt"), tmp_path / "plan-TEST-second.source.txt")
    path = tmp_path / "plan-TEST-second.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _wipe() -> None:
    for slug in list(Plan.objects.values_list("slug", flat=True)):
        plan_remove(slug=slug)
    Organisation.objects.update(successor=None)
    Organisation.objects.all().delete()
    Scheme.objects.all().delete()


@pytest.mark.django_db
def test_plans_loaded_in_either_order_and_reloaded_leave_the_same_facts():
    plan_load(path=WEST_MIDLANDS)
    alone = _export("west-midlands-2020")
    plan_load(path=SECOND)
    first_order = (_export("west-midlands-2020"), _export("test-second-plan"), _organisations(), _schemes())
    assert first_order[0] == alone, "loading a second plan changes nothing in the first plan's export"

    for path in (WEST_MIDLANDS, SECOND):
        assert not plan_load(path=path).changed
    assert (_export("west-midlands-2020"), _export("test-second-plan"), _organisations(), _schemes()) == first_order

    _wipe()
    plan_load(path=SECOND)
    plan_load(path=WEST_MIDLANDS)
    assert (_export("west-midlands-2020"), _export("test-second-plan"), _organisations(), _schemes()) == first_order
    for path in (SECOND, WEST_MIDLANDS):
        assert not plan_load(path=path).changed


@pytest.mark.django_db
def test_a_plan_that_leaves_facts_out_blanks_nothing():
    """The issue's case: the second plan lists the WMCA without its address and the LEP without its
    successor; the WMCA keeps answering for the LEP on 5-i."""
    plan_load(path=WEST_MIDLANDS)
    plan_load(path=SECOND)
    wmca = Organisation.objects.get(slug="wmca")
    lep = Organisation.objects.get(slug="black-country-lep")
    assert wmca.url == "https://www.wmca.org.uk/"
    assert organisation_accountable(lep) == wmca
    assert lep.facts["sources"]["name"] == ["organisations.yaml", "plan test-second-plan (plan-TEST-second.yaml)"]


@pytest.mark.django_db
def test_removing_a_plan_leaves_the_other_untouched():
    plan_load(path=WEST_MIDLANDS)
    before = _export("west-midlands-2020")
    plan_load(path=SECOND)
    assert plan_remove(slug="test-second-plan") == "test-second-plan: removed."
    assert not Plan.objects.filter(slug="test-second-plan").exists()
    assert _export("west-midlands-2020") == before
    assert organisation_accountable(Organisation.objects.get(slug="black-country-lep")).slug == "wmca"


@pytest.mark.parametrize(("change", "field", "theirs", "ours"), [
    (lambda d: d["organisations"][0].update(url="https://example.org/not-the-wmca"), "url",
     "https://example.org/not-the-wmca", "https://www.wmca.org.uk/"),
    (lambda d: d["organisations"][1].update(successor="test-second-campaign"), "successor",
     "test-second-campaign", "wmca"),
    (lambda d: d["organisations"].append({"id": "coventry-warwickshire-lep", "ended": "2024-01-01"}), "ended",
     "2024-01-01", "2023-03-31"),
])
@pytest.mark.django_db
def test_a_conflicting_fact_is_refused_naming_both_values_and_sources(tmp_path, change, field, theirs, ours):
    plan_load(path=WEST_MIDLANDS)
    path = _second_copy(tmp_path, change)
    with pytest.raises(PlanError) as caught:
        plan_load(path=path)
    message = str(caught.value)
    assert f"field {field}: plan test-second-plan (plan-TEST-second.yaml) says {theirs!r}" in message
    assert f"but organisations.yaml says {ours!r}" in message
    assert not Plan.objects.filter(slug="test-second-plan").exists(), "nothing half-loaded"
    assert not Organisation.objects.filter(slug="test-second-campaign").exists()

    checked = runner.invoke(app, ["plan", "check", str(path)])
    assert checked.exit_code == 2
    assert f"says {theirs!r} but organisations.yaml says {ours!r}" in checked.output


@pytest.mark.django_db
def test_a_dated_change_with_its_source_is_accepted(tmp_path):
    plan_load(path=WEST_MIDLANDS)
    before = _export("west-midlands-2020")

    def move(data):
        data["organisations"][0]["url"] = "https://example.org/wmca-new-address-TEST"
        data["organisations"][0]["changes"] = [{
            "field": "url", "value": "https://example.org/wmca-new-address-TEST", "date": "2025-01-01",
            "source_title": "TEST notice of a new address", "source_url": "https://example.org/notice-TEST"}]

    plan_load(path=_second_copy(tmp_path, move))
    wmca = Organisation.objects.get(slug="wmca")
    assert wmca.url == "https://example.org/wmca-new-address-TEST"
    change = wmca.states.get(field="url")
    assert (change.date.isoformat(), change.source_url) == ("2025-01-01", "https://example.org/notice-TEST")
    assert wmca.facts["values"]["url"] == "https://www.wmca.org.uk/", "the base fact and its source stay"
    assert _export("west-midlands-2020") == before
    assert not plan_load(path=WEST_MIDLANDS).changed


def test_a_dated_change_without_a_source_is_refused(tmp_path):
    def move(data):
        data["organisations"][0]["changes"] = [{"field": "url", "value": "https://example.org/x", "date": "2025-01-01"}]

    result = runner.invoke(app, ["plan", "check", str(_second_copy(tmp_path, move))])
    assert result.exit_code == 2
    assert "organisation wmca, field changes.0.source_url" in result.output


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["recommendations"][1].update(id="1-a"), "id '1-a' is used twice"),
    (lambda d: d["recommendations"][0]["addressees"].append({"organisation": "nobody-TEST"}),
     "recommendation 1-a, field addressees: unknown organisation 'nobody-TEST'"),
    (lambda d: d["recommendations"][0].update(quote="The WMCA should fund test skills camps for every test town."),
     "recommendation 1-a, field quote: not verbatim in the source text; the closest passage"),
    (lambda d: d["plan"].update(source_text="missing-TEST.source.txt"), "missing-TEST.source.txt does not exist"),
])
@pytest.mark.django_db
def test_bad_input_is_refused_and_nothing_is_half_loaded(tmp_path, change, expected):
    plan_load(path=WEST_MIDLANDS)
    before = _organisations()
    with pytest.raises(PlanError) as caught:
        plan_load(path=_second_copy(tmp_path, change))
    assert expected in str(caught.value)
    assert not Plan.objects.filter(slug="test-second-plan").exists()
    assert _organisations() == before


@pytest.mark.django_db
def test_a_source_text_that_is_not_utf8_is_refused(tmp_path):
    path = _second_copy(tmp_path, lambda d: None)
    (tmp_path / "plan-TEST-second.source.txt").write_bytes("Caf\u00e9 ".encode("latin-1") * 3)
    with pytest.raises(PlanError) as caught:
        plan_load(path=path)
    assert "is not UTF-8 text" in str(caught.value)
    assert not Plan.objects.exists()
