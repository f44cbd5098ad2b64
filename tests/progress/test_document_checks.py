"""Documents attached to updates go through the one upload checker (engine/filetypes.py): the same
rules as the check files on the measures pages, text included."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery_tracker.progress.services import UpdateInvalid, upload_check


def test_utf8_text_and_a_real_pdf_are_accepted():
    assert upload_check(SimpleUploadedFile("notes.txt", "Café minutes, 5 March".encode())) == (".txt", "text/plain")
    assert upload_check(SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%...")) [0] == ".pdf"


def test_windows_1252_text_is_refused_with_how_to_fix_it():
    # The measures pages already refused it; documents now say the same thing the same way.
    with pytest.raises(UpdateInvalid) as caught:
        upload_check(SimpleUploadedFile("notes.txt", "Café minutes".encode("cp1252")))
    assert "UTF-8" in caught.value.errors["documents"]


def test_a_renamed_picture_is_refused():
    with pytest.raises(UpdateInvalid) as caught:
        upload_check(SimpleUploadedFile("report.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20))
    assert "does not contain what its name says (PDF)" in caught.value.errors["documents"]
