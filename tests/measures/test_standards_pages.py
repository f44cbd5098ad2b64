"""Job guarantee, procurement and employer checks on the web: results, errors with rows, nothing kept."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from measures_fixtures import EXAMPLES

from recovery_tracker.measures.models import MeasureResult

pytestmark = pytest.mark.django_db


def _upload(client, url: str, content: bytes, name: str):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_job_guarantee_table_with_reasons_and_summary(client, upload_tmp):
    page = _upload(client, "/checks/job-guarantee/", (EXAMPLES / "placements-DEMO.csv").read_bytes(),
                   "placements-DEMO.csv").content.decode()
    assert "Job guarantee check" in page
    assert "placements meet all six conditions" in page
    assert "Meets all six" in page and "Does not meet all six" in page
    assert "Commonest failures" in page
    assert "Zero-hours contracts are not secure" in page or "not secure" in page
    assert list(upload_tmp.iterdir()) == []


def test_job_guarantee_bad_rows_are_named_and_nothing_is_kept(client, upload_tmp):
    header = "employer,start_date,end_date,contract_type,weekly_hours,hourly_pay,london,training,union_access," \
             "community_benefit,additional\n"
    bad = header + "TEST Ltd,2026-13-01,,permanent,30,13.45,no,yes,yes,yes,yes\nTEST Ltd,2026-01-01,,gig,30,x,no,yes," \
                   "yes,yes,maybe\n"
    page = _upload(client, "/checks/job-guarantee/", bad.encode(), "placements-TEST.csv").content.decode()
    assert "There is a problem" in page and "placements-TEST.csv has" in page
    assert "start_date" in page and "contract_type" in page and "hourly_pay" in page
    assert '<td class="govuk-table__cell">3</td>' in page
    assert "/tmp" not in page and str(upload_tmp) not in page
    assert MeasureResult.objects.count() == 0
    assert list(upload_tmp.iterdir()) == []


def test_missing_columns_are_reported(client, upload_tmp):
    page = _upload(client, "/checks/job-guarantee/", b"employer,start_date\nTEST,2026-01-01\n",
                   "placements-TEST.csv").content.decode()
    assert "hourly_pay" in page and "There is a problem" in page


def test_procurement_per_contract_and_share_of_spend_per_buyer(client, upload_tmp):
    page = _upload(client, "/checks/procurement/", (EXAMPLES / "contracts-DEMO.csv").read_bytes(),
                   "contracts-DEMO.csv").content.decode()
    assert "Fair-work procurement check" in page
    assert "of spend" in page and "under fair-work terms" in page
    assert "By buyer" in page and "DEMO Borough Council" in page
    assert "Meets the standard" in page and "Does not meet it" in page
    assert "Missing:" in page
    assert list(upload_tmp.iterdir()) == []


def test_employers_check(client, upload_tmp):
    page = _upload(client, "/checks/employers/", (EXAMPLES / "employers-DEMO.csv").read_bytes(),
                   "employers-DEMO.csv").content.decode()
    assert "Employer commitments check" in page and "DEMO Foundry Ltd" in page
    assert "TUC Dying to Work Charter" in page


def test_xlsx_renamed_csv_is_refused(client, upload_tmp):
    page = _upload(client, "/checks/procurement/", b"buyer,supplier\n", "contracts.xlsx").content.decode()
    assert "is not a real XLSX file" in page


def test_real_xlsx_is_checked(client, upload_tmp, tmp_path):
    import polars as pl

    frame = pl.read_csv(EXAMPLES / "placements-DEMO.csv", infer_schema=False)
    path = tmp_path / "placements.xlsx"
    frame.write_excel(path)
    page = _upload(client, "/checks/job-guarantee/", path.read_bytes(), "placements-DEMO.xlsx").content.decode()
    assert "placements meet all six conditions" in page
    assert list(upload_tmp.iterdir()) == []


def test_landing_page_lists_the_checks_with_criteria_and_sources(client, west_midlands):
    page = client.get("/checks/").content.decode()
    for title in ("Pay gaps from a payroll file", "Job guarantee placements", "Fair-work procurement",
                  "Public interest test", "Employer commitments and charters"):
        assert title in page
    assert "/checks/criteria/job-guarantee.yaml" in page and "/checks/criteria/fair-work-first.yaml" in page
    assert "https://www.legislation.gov.uk/uksi/2017/172" in page
    assert "tuc.org.uk" in page
    assert 'href="/checks/"' in client.get("/").content.decode()  # the nav item "Checks"
    data = client.get("/checks/criteria/public-interest-test.yaml")
    assert data.status_code == 200 and "employment_conditions" in data.content.decode()
    assert client.get("/checks/criteria/..%2Fsettings.py").status_code == 404
    example = client.get("/checks/examples/job_guarantee.csv")
    assert example.status_code == 200 and b"DEMO" in example.content


def test_green_panel_only_when_every_placement_passes(client, upload_tmp):
    demo = (EXAMPLES / "placements-DEMO.csv").read_bytes()
    mixed = _upload(client, "/checks/job-guarantee/", demo, "placements-DEMO.csv").content.decode()
    assert "govuk-panel--confirmation" not in mixed and "tracker-panel--result" in mixed
    header, first_passing = demo.decode().splitlines()[:2]
    passing = _upload(client, "/checks/job-guarantee/", f"{header}\n{first_passing}\n".encode(),
                      "placements-DEMO.csv").content.decode()
    assert "1 of 1" in passing and "govuk-panel--confirmation" in passing
