"""Importing statistics: Open SDG and long layouts, all-or-nothing validation, revisions, idempotence."""

from __future__ import annotations

import pytest

from recovery_tracker.audit.models import AuditEntry
from recovery_tracker.indicators.importers import period_parse
from recovery_tracker.indicators.models import Indicator, Observation
from recovery_tracker.indicators.services import ImportRejected, InputFile, observations_import

pytestmark = pytest.mark.django_db


def test_open_sdg_file_with_metadata_imports_headline_and_breakdowns(demo_files):
    files, meta = demo_files()
    result = observations_import(files=files, metadata_files=meta)
    assert result.created == 6
    indicator = Indicator.objects.get(slug="test-demo-jobs")
    assert indicator.direction == "increase"
    headline = Observation.objects.filter(indicator=indicator, disaggregation_key="")
    assert headline.count() == 4
    female = Observation.objects.get(indicator=indicator, disaggregations={"Sex": "Female"})
    assert female.value == 60 and female.geography_code == "E47000007"
    assert all(o.source == "DEMO source (made up for tests)" for o in Observation.objects.all())
    assert AuditEntry.objects.filter(action="indicators.import").count() == 1


def test_malformed_csv_reports_every_bad_row_and_column_and_stores_nothing(demo_files):
    bad = ("Year,Sex,GeoCode,Value\n2015,,E47000007,100\n20x6,,E47000007,110\n2017,,XYZ,abc\n"
           "2018,,E47000007,1\n2018,,E47000007,2\n")
    files, meta = demo_files(bad)
    with pytest.raises(ImportRejected) as caught:
        observations_import(files=files, metadata_files=meta)
    messages = [str(p) for p in caught.value.problems]
    assert any("row 3, column Year" in m for m in messages)
    assert any("row 4, column GeoCode" in m for m in messages)
    assert any("row 4, column Value" in m for m in messages)
    assert any("row 6" in m and "repeats row 5" in m for m in messages)
    assert Observation.objects.count() == 0
    assert Indicator.objects.count() == 0
    assert not AuditEntry.objects.filter(action="indicators.import").exists()


def test_one_bad_file_stops_the_good_one_too(demo_files):
    good, meta = demo_files()
    bad = InputFile("other.csv", b"indicator,geography_code,geography_name,period,value,unit,source,source_url\n"
                                 b"test-demo-jobs,E47000007,,2019,,jobs,,\n")
    with pytest.raises(ImportRejected) as caught:
        observations_import(files=[*good, bad], metadata_files=meta)
    messages = [str(p) for p in caught.value.problems]
    assert "other.csv, row 2, column value: value is empty; every figure needs one" in messages
    assert "other.csv, row 2, column source: source is empty; every figure needs one" in messages
    assert Observation.objects.count() == 0


def test_direction_is_required_never_guessed(demo_files):
    files, _ = demo_files()
    meta = [InputFile("test-demo-jobs.yaml", b"name: DEMO\nunit: jobs\nsource: DEMO\n")]
    with pytest.raises(ImportRejected) as caught:
        observations_import(files=files, metadata_files=meta)
    assert any("`direction` is missing" in str(p) for p in caught.value.problems)
    assert Observation.objects.count() == 0


def test_unknown_indicator_without_metadata_is_refused(demo_files):
    files, _ = demo_files()
    with pytest.raises(ImportRejected) as caught:
        observations_import(files=files)
    assert any("no metadata for indicator 'test-demo-jobs'" in str(p) for p in caught.value.problems)


def test_reimporting_the_same_file_changes_nothing(demo_files):
    files, meta = demo_files()
    observations_import(files=files, metadata_files=meta)
    before = list(Observation.objects.values_list("id", "value", "revision"))
    again = observations_import(files=files, metadata_files=meta)
    assert not again.changed and again.unchanged == 6
    assert list(Observation.objects.values_list("id", "value", "revision")) == before


def test_a_revised_figure_is_stored_as_a_revision_not_an_overwrite(demo_files):
    files, meta = demo_files()
    observations_import(files=files, metadata_files=meta)
    revised = (files[0].data.decode().replace("2018,,E47000007,133.1", "2018,,E47000007,140")).encode()
    result = observations_import(files=[InputFile("test-demo-jobs.csv", revised)], metadata_files=meta)
    assert result.revised == 1 and result.created == 0
    rows = Observation.objects.filter(period="2018", disaggregation_key="").order_by("revision")
    old, new = list(rows)
    assert (old.value, old.revision, old.replaced_by_id) == (133.1, 1, new.id)
    assert (new.value, new.revision, new.replaced_by_id) == (140, 2, None)
    assert "revises 133.1" in new.notes


def test_period_forms(demo_files):
    assert period_parse("2019/20 (R)") == ("2019/20", 2019, True)
    assert period_parse("2015-16") == ("2015-16", 2015, False)
    assert period_parse("Apr 2019") == ("Apr 2019", 2019, False)
    assert period_parse("2021/22 (later figure)") == ("2021/22", 2021, True)
    assert period_parse("per year") == ("per year", None, False)


def test_financial_year_forms_in_open_sdg_year_column(demo_files):
    text = "Year,GeoCode,Value\n2019/20,E12000005,5\n2020-21,E12000005,6\n"
    files, meta = demo_files(text)
    observations_import(files=files, metadata_files=meta)
    assert sorted(Observation.objects.values_list("period", "year")) == [("2019/20", 2019), ("2020-21", 2020)]
