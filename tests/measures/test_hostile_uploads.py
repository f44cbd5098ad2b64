"""Hostile spreadsheets posted without signing in: a clear message, the server lives, nothing left behind.

The files are made here, as an attacker would make them: a valid workbook whose sheet claims the
grid's last cell, five million identical rows in a 2 MB-class zip, a zip carrying a part no
spreadsheet has, and a zip with no workbook at all.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from measures_fixtures import EXAMPLES

from recovery_tracker.engine.xlsx_guard import xlsx_problem
from recovery_tracker.measures.limited import LimitExceeded, run_limited

pytestmark = pytest.mark.django_db
URL = "/checks/job-guarantee/"


def _valid_xlsx() -> bytes:
    import polars as pl

    buffer = io.BytesIO()
    pl.read_csv(EXAMPLES / "placements-DEMO.csv", infer_schema=False).write_excel(buffer)
    return buffer.getvalue()


def _rewrite(xlsx: bytes, change: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> bytes:
    """A copy of ``xlsx`` with some parts replaced (None: removed) and others added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in change:
                if change[item.filename] is not None:
                    target.writestr(item.filename, change[item.filename])
            else:
                target.writestr(item, source.read(item))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


@pytest.fixture(scope="module")
def grid_corner_xlsx() -> bytes:
    xlsx = _valid_xlsx()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    # The sheet claims the grid's last cell, and has a cell there: a reader sizes its grid from A1 to it.
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    sheet = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    assert b"XFD1048576" in sheet
    return _rewrite(xlsx, {"xl/worksheets/sheet1.xml": sheet})


@pytest.fixture(scope="module")
def corner_cell_without_dimension_xlsx(grid_corner_xlsx) -> bytes:
    with zipfile.ZipFile(io.BytesIO(grid_corner_xlsx)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    return _rewrite(grid_corner_xlsx, {"xl/worksheets/sheet1.xml": re.sub(rb"<dimension [^>]*/>", b"", sheet)})


@pytest.fixture(scope="module")
def five_million_rows_xlsx() -> bytes:
    xlsx = _valid_xlsx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org'
                        b'/spreadsheetml/2006/main"><sheetData>')
            block = b'<row><c t="inlineStr"><is><t>TEST</t></is></c></row>' * 10_000
            for _ in range(500):  # 5,000,000 identical rows
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _post(client, content: bytes, name: str = "placements-TEST.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def _error(page: str) -> str:
    assert "There is a problem" in page, page[:2000]
    return page


def test_grid_corner_claim_is_refused_before_reading(client, upload_tmp, grid_corner_xlsx):
    assert len(grid_corner_xlsx) < 20_000
    page = _error(_post(client, grid_corner_xlsx).content.decode())
    assert "says it reaches cell XFD1048576" in page and "Delete the empty rows and columns" in page
    assert list(upload_tmp.iterdir()) == []
    assert client.get(URL).status_code == 200  # the server still answers


def test_a_far_cell_without_a_dimension_claim_is_refused(client, upload_tmp, corner_cell_without_dimension_xlsx):
    page = _error(_post(client, corner_cell_without_dimension_xlsx).content.decode())
    assert "has cells as far as row 1,048,576 and column 16,384" in page
    assert list(upload_tmp.iterdir()) == []


def test_five_million_identical_rows_are_refused(client, upload_tmp, five_million_rows_xlsx):
    assert len(five_million_rows_xlsx) < 2 * 1024 * 1024
    page = _error(_post(client, five_million_rows_xlsx).content.decode())
    assert "placements-TEST.xlsx unpacks to" in page
    assert list(upload_tmp.iterdir()) == []
    assert client.get(URL).status_code == 200


def test_a_zip_with_an_unexpected_part_is_refused(client, upload_tmp):
    hostile = _rewrite(_valid_xlsx(), {}, add={"payload/run-me.sh": b"#!/bin/sh\necho TEST\n"})
    page = _error(_post(client, hostile).content.decode())
    assert "holds a part a spreadsheet does not have (&#x27;payload/run-me.sh&#x27;)" in page
    assert list(upload_tmp.iterdir()) == []


def test_an_xlsx_without_a_workbook_is_refused(client, upload_tmp):
    hollow = _rewrite(_valid_xlsx(), {"xl/workbook.xml": None})
    page = _error(_post(client, hollow).content.decode())
    assert "has no workbook inside" in page
    assert list(upload_tmp.iterdir()) == []


def test_the_child_process_takes_the_blow_if_a_hostile_file_reaches_a_reader(grid_corner_xlsx, tmp_path):
    """Behind the guard, the reader runs in a child with a memory limit: its abort is a message here."""
    from recovery_tracker.measures import services

    path = tmp_path / "grid-corner-TEST.xlsx"
    path.write_bytes(grid_corner_xlsx)
    assert xlsx_problem(path, path.name) is not None
    with pytest.raises(LimitExceeded) as raised:
        run_limited(services.job_guarantee_check, memory_bytes=1024 * 1024 * 1024, path=path, name=path.name)
    assert raised.value.reason == "memory"
    # This process is unharmed and the next check works.
    good = tmp_path / "placements-TEST.csv"
    good.write_bytes((EXAMPLES / "placements-DEMO.csv").read_bytes())
    assert run_limited(services.job_guarantee_check, path=good, name=good.name)["summary"]


def test_a_check_past_its_deadline_is_stopped(tmp_path):
    import time
    from functools import partial

    started = time.monotonic()
    with pytest.raises(LimitExceeded) as raised:
        run_limited(partial(time.sleep, 30), seconds=1)
    assert raised.value.reason == "time" and time.monotonic() - started < 20


def test_anonymous_uploads_have_a_smaller_limit(client, upload_tmp, django_user_model):
    big = b"employer,start_date\n" + b"Employer TEST,2024-01-01\n" * 250_000  # about 6 MB
    page = _error(_post(client, big, name="placements-TEST.csv").content.decode())
    assert "must be smaller than 5 MB (sign in to upload files up to 20 MB)" in page
    assert list(upload_tmp.iterdir()) == []
    client.force_login(django_user_model.objects.create_user("uploader-TEST", password="sample-password-TEST"))
    page = client.post(URL, {"file": SimpleUploadedFile("placements-TEST.csv", big)}).content.decode()
    assert "must be smaller than" not in page
    assert list(upload_tmp.iterdir()) == []


def test_abandoned_upload_folders_are_swept(settings, tmp_path):
    from recovery_tracker.measures.uploads import upload_folder_create, upload_folders_sweep

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    old, fresh = Path(upload_folder_create()), Path(upload_folder_create())
    (old / "file-1.csv").write_text("payroll TEST")
    import os
    import time

    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert upload_folders_sweep() == 1
    assert not old.exists() and fresh.exists()
    assert oct(fresh.stat().st_mode & 0o777) == "0o700"
