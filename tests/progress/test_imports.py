"""CSV import of updates: all or nothing, every bad row listed, the same permission rules as the web."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from recovery_tracker.progress.imports import ImportRejected, updates_import, updates_import_text
from recovery_tracker.progress.models import Update

HEADER = "recommendation,organisation,body,voice,date,status,narrative,state,links,ref\n"
GOOD = "1-a,test-authority,test-authority,self_report,2024-05-01,in_progress,Started building.,submitted,,r1\n"


def test_good_file_creates_submitted_and_draft_updates(people):
    text = HEADER + GOOD + "1-a,test-authority,test-authority,self_report,2024-06,planned,More,,Plan | https://example.org/p,\n"
    result = updates_import_text(actor=people.member, text=text)
    assert len(result.created) == 2 and result.submitted == 1
    first, second = Update.objects.order_by("id")
    assert (first.state, first.source, first.external_key) == ("submitted", "csv", "csv:test-authority:r1")
    assert (second.state, second.date_precision, second.links.get().title) == ("draft", "month", "Plan")


def test_every_bad_row_is_listed_and_nothing_is_stored(people):
    text = HEADER + GOOD + (
        "9-z,test-authority,test-authority,self_report,2024-05-01,in_progress,x,,,\n"
        "1-a,test-authority,test-authority,self_report,01/05/2024,in_progress,x,,,\n"
        "1-a,test-authority,test-authority,self_report,2024-05-01,done,x,,,\n"
    )
    with pytest.raises(ImportRejected) as caught:
        updates_import_text(actor=people.member, text=text)
    errors = {(e.row, e.column) for e in caught.value.problems}
    assert {(3, "recommendation"), (4, "date"), (5, "status")} <= errors
    assert caught.value.bad_rows == [3, 4, 5]
    assert Update.objects.count() == 0


def test_missing_columns_are_named(people):
    with pytest.raises(ImportRejected) as caught:
        updates_import_text(actor=people.member, text="recommendation,date\n1-a,2024-05-01\n")
    assert caught.value.problems[0].row == 1 and "organisation" in caught.value.problems[0].column


def test_an_import_never_publishes(people):
    text = HEADER + GOOD.replace("submitted", "published")
    with pytest.raises(ImportRejected) as caught:
        updates_import_text(actor=people.moderator, text=text)
    assert [(e.row, e.column) for e in caught.value.problems][0] == (2, "state")
    assert Update.objects.count() == 0


def test_member_of_another_council_is_refused_for_every_row(people):
    with pytest.raises(ImportRejected) as caught:
        updates_import_text(actor=people.other, text=HEADER + GOOD + GOOD.replace("r1", "r2"))
    assert [(e.row, e.column) for e in caught.value.problems] == [(2, "organisation"), (3, "organisation")]
    assert Update.objects.count() == 0


def test_assessor_may_import_assessments_but_not_self_reports(people):
    assessment = "1-a,union-test,test-authority,independent_assessment,2024-05-01,planned,Slow.,submitted,,\n"
    assert len(updates_import_text(actor=people.assessor, text=HEADER + assessment).created) == 1
    with pytest.raises(ImportRejected):
        updates_import_text(actor=people.assessor, text=HEADER + GOOD.replace("test-authority,test", "union-test,test"))


def test_anonymous_cannot_import(test_plan):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        updates_import_text(actor=AnonymousUser(), text=HEADER + GOOD)


def test_same_ref_twice_is_refused(people):
    updates_import_text(actor=people.member, text=HEADER + GOOD)
    with pytest.raises(ImportRejected) as caught:
        updates_import_text(actor=people.member, text=HEADER + GOOD)
    assert caught.value.problems[0].column == "ref"
    assert Update.objects.count() == 1


def test_non_utf8_and_non_csv_files_are_refused(people):
    with pytest.raises(ImportRejected, match="UTF-8"):
        updates_import(actor=people.member, content=(HEADER + GOOD.replace("building", "b\xe9")).encode("latin-1"),
                       filename="u.csv")
    with pytest.raises(ImportRejected, match="CSV"):
        updates_import(actor=people.member, content=b"%PDF-1.4", filename="u.pdf")


def test_byte_order_mark_is_accepted(people):
    result = updates_import(actor=people.member, content=("\ufeff" + HEADER + GOOD).encode("utf-8"), filename="u.csv")
    assert len(result.created) == 1


def test_upload_page_lists_bad_rows(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people.member)
    bad = HEADER + GOOD + "1-a,test-authority,test-authority,self_report,2024-05-01,done,x,,,\n"
    response = client.post(reverse("progress-import"),
                           {"file": SimpleUploadedFile("u.csv", bad.encode(), content_type="text/csv")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Row 3" in html and "status" in html
    assert Update.objects.count() == 0
    response = client.post(reverse("progress-import"),
                           {"file": SimpleUploadedFile("u.csv", (HEADER + GOOD).encode(), content_type="text/csv")})
    assert response.status_code == 302 and Update.objects.count() == 1


def test_upload_page_needs_sign_in(client, test_plan):
    response = client.get(reverse("progress-import"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_upload_page_refuses_people_without_an_organisation(client, people, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x-test-only-123"))
    assert client.get(reverse("progress-import")).status_code == 403


def test_import_command_lists_bad_rows_and_stores_nothing(people, tmp_path):
    from typer.testing import CliRunner

    from recovery_tracker.cli import app

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD + "1-a,test-authority,test-authority,self_report,2024-05-01,done,x,,,\n")
    result = CliRunner().invoke(app, ["progress", "import", str(bad), "--user", "member", "--plan", "test-plan"])
    assert result.exit_code == 2 and "row 3, column status" in result.output
    assert Update.objects.count() == 0
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD)
    result = CliRunner().invoke(app, ["progress", "import", str(good), "--user", "member", "--plan", "test-plan"])
    assert result.exit_code == 0 and "Imported 1 update" in result.output
    result = CliRunner().invoke(app, ["progress", "import", str(good), "--user", "other", "--plan", "test-plan"])
    assert result.exit_code == 2 and "may not draft" in result.output


def test_our_own_export_imports_back_as_new_drafts_with_the_text_as_written(people, make_published):
    from recovery_tracker.progress.exports import published_export_csv

    original = make_published(title="=2+2 homes (TEST)", narrative="-5 jobs, then +3 (TEST)",
                              links=[("https://example.org/TEST", "Minutes")])
    exported = published_export_csv()
    assert "'=2+2 homes" in exported  # formula-safe on the way out
    result = updates_import_text(actor=people.member, text=exported)
    copy = Update.objects.get(pk=result.created[0].pk)
    assert copy.pk != original.pk and copy.state == "draft" and copy.author == people.member
    assert (copy.title, copy.narrative) == (original.title, original.narrative)  # no guard quote kept
    assert [(link.url, link.title) for link in copy.links.all()] == [("https://example.org/TEST", "Minutes")]
