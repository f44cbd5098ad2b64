"""The pay gap upload page: the report, its limits and errors, and that no file outlives the request."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from measures_fixtures import PAYROLL_TEST

from recovery_tracker.measures import views
from recovery_tracker.measures.models import MeasureResult
from recovery_tracker.measures.uploads import UploadRule

URL = "/checks/pay-gaps/"
DATE = {"snapshot_day": "5", "snapshot_month": "4", "snapshot_year": "2025"}

pytestmark = pytest.mark.django_db


def _post(client, content: bytes, name: str = "payroll-TEST.csv", **fields):
    return client.post(URL, {**DATE, **fields, "file": SimpleUploadedFile(name, content)})


def test_report_shows_the_six_figures_with_govuk_names_counts_groups_and_low_pay(client, upload_tmp):
    page = _post(client, PAYROLL_TEST.encode()).content.decode()
    assert "Pay gap report" in page
    assert "DiffMeanHourlyPercent" in page and "FemaleTopQuartile" in page
    assert "22.9" in page  # mean hourly gap of the TEST payroll
    assert "Relevant employees" in page and ">6<" in page
    assert "Ethnicity pay gaps" in page and "Disability pay gaps" in page
    assert "Low pay" in page and "Real Living Wage" in page
    assert list(upload_tmp.iterdir()) == []


def test_low_pay_threshold_can_be_the_plans_ten_pounds(client, upload_tmp):
    page = _post(client, PAYROLL_TEST.encode(), low_pay_amount="10").content.decode()
    assert "below £10.00 an hour" in page


def test_file_and_temporary_copies_are_gone_after_a_large_streamed_file(client, upload_tmp, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django would stream anything bigger to disk
    rows = "".join(f"{i},{'male' if i % 2 else 'female'},{10 + i % 7}.50,0\n" for i in range(1, 200_001))
    content = ("employee_id,sex,hourly_pay,bonus_pay\n" + rows).encode()
    assert len(content) > 3 * 1024 * 1024
    response = _post(client, content)
    assert "Pay gap report" in response.content.decode()
    assert list(upload_tmp.iterdir()) == []


def test_malformed_file_gives_rows_and_columns_keeps_nothing_and_leaves_no_file(client, upload_tmp):
    bad = b"employee_id,sex,hourly_pay,bonus_pay\n1,male,12.00,0\n2,female,-3,0\n2,female,abc,0\n"
    response = _post(client, bad, low_pay_amount="10")
    page = response.content.decode()
    assert "There is a problem" in page
    assert "payroll-TEST.csv has" in page and "Nothing was saved" in page
    assert "hourly_pay" in page
    assert '<td class="govuk-table__cell">3</td>' in page  # the spreadsheet row of the negative pay
    # The fields are kept for the next try.
    assert 'value="10"' in page and 'value="2025"' in page
    assert list(upload_tmp.iterdir()) == []
    assert MeasureResult.objects.count() == 0


def test_wrong_type_by_name_and_by_content_is_refused(client, upload_tmp):
    page = _post(client, b"%PDF-1.4 not a payroll", name="payroll.pdf").content.decode()
    assert "The selected file must be a CSV, XLSX or PARQUET file" in page
    page = _post(client, b"this is not a spreadsheet", name="payroll.xlsx").content.decode()
    assert "is not a real XLSX file" in page
    page = _post(client, b"PAR1 not really", name="payroll.parquet").content.decode()
    assert "is not a real PARQUET file" in page
    page = _post(client, b"employee_id\x00\x01\x02", name="payroll.csv").content.decode()
    assert "CSV file saved as UTF-8" in page
    assert list(upload_tmp.iterdir()) == []


def test_parquet_payroll_is_read(client, upload_tmp):
    import polars as pl

    buffer = io.BytesIO()
    pl.read_csv(io.StringIO(PAYROLL_TEST), infer_schema=False).write_parquet(buffer)
    page = _post(client, buffer.getvalue(), name="payroll-TEST.parquet").content.decode()
    assert "Pay gap report" in page and "22.9" in page
    assert list(upload_tmp.iterdir()) == []


def test_file_over_the_limit_is_refused_and_removed(client, upload_tmp, monkeypatch):
    monkeypatch.setattr(views, "PAYROLL_UPLOAD", UploadRule(max_bytes=100, extensions=(".csv", ".xlsx", ".parquet")))
    page = _post(client, PAYROLL_TEST.encode()).content.decode()
    assert "The selected file must be smaller than" in page
    assert list(upload_tmp.iterdir()) == []


def test_missing_date_and_file_are_named_at_the_field_and_in_the_summary(client, upload_tmp):
    page = client.post(URL, {"snapshot_day": "31", "snapshot_month": "2", "snapshot_year": "2025"}).content.decode()
    assert page.count("The snapshot date must be a real date") == 2
    assert '<a href="#id_snapshot_day">' in page
    assert page.count("Select a CSV, XLSX or PARQUET file") == 2
    assert '<a href="#id_file">' in page


def test_csrf_is_checked_and_the_upload_still_removed(upload_tmp):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {**DATE, "file": SimpleUploadedFile("p.csv", PAYROLL_TEST.encode())})
    assert response.status_code == 403
    assert list(upload_tmp.iterdir()) == []


def test_the_form_page_works_without_javascript(client):
    page = client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page


def test_the_file_is_removed_even_when_the_check_fails_unexpectedly(client, upload_tmp, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("TEST: engine failure")

    # The check runs in a child process; here the call itself fails, as an unforeseen bug would.
    monkeypatch.setattr(views, "run_limited", broken)
    with pytest.raises(RuntimeError):
        _post(client, PAYROLL_TEST.encode())
    assert list(upload_tmp.iterdir()) == []


def test_the_example_payroll_linked_from_the_page_gives_a_report(client, upload_tmp):
    """As on the job guarantee page: download the made-up example, upload it, get figures."""
    form = client.get(URL).content.decode()
    assert 'href="/checks/examples/paygap.csv"' in form
    example = client.get("/checks/examples/paygap.csv")
    assert example.status_code == 200 and b"DEMO-001" in example.content
    page = _post(client, example.content, name="payroll-DEMO.csv").content.decode()
    assert "DiffMeanHourlyPercent" in page and ">24<" in page


def test_missing_column_says_what_to_add_in_plain_words(client, upload_tmp):
    page = _post(client, b"sex,hourly_pay,bonus_pay\nfemale,12.00,0\n").content.decode()
    assert "add an employee_id column" in page
