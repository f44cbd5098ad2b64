"""A long CSV import runs in the task worker: the upload answers at once, the status page follows it."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from recovery_tracker.progress.models import Update

HEADER = "recommendation,organisation,body,voice,date,status,narrative,state,links,ref\n"


def _rows(count: int, *, bad_row: int | None = None) -> bytes:
    lines = [f"1-a,test-authority,test-authority,self_report,{'01/05/2024' if n == bad_row else '2024-05-01'},"
             f"in_progress,Imported row {n} (TEST).,submitted,,ref-{n}\n" for n in range(count)]
    return (HEADER + "".join(lines)).encode()


def _upload(client, content: bytes):
    return client.post("/progress/import/", {"plan": "test-plan",
                                             "file": SimpleUploadedFile("updates-TEST.csv", content)})


def test_a_long_import_is_queued_and_its_status_page_follows_it(client, people, run_tasks):
    client.force_login(people.member)
    queued = _upload(client, _rows(250))
    assert queued.status_code == 302 and "/progress/import/" in queued["Location"]
    status = client.get(queued["Location"])
    assert status.status_code == 200 and b"Your import is running" in status.content
    assert b'<meta http-equiv="refresh"' in status.content
    assert Update.objects.count() == 0
    # Nobody else may follow it.
    from django.test import Client

    other = Client()
    other.force_login(people.other)
    assert other.get(queued["Location"]).status_code == 404
    assert run_tasks() >= 1
    done = client.get(queued["Location"], follow=True)
    assert b"Imported 250 update(s): 250 submitted for moderation" in done.content
    assert Update.objects.count() == 250


def test_a_long_import_with_a_bad_row_stores_nothing_and_names_the_row(client, people, run_tasks):
    client.force_login(people.member)
    queued = _upload(client, _rows(250, bad_row=100))
    run_tasks()
    page = client.get(queued["Location"])
    assert page.status_code == 200
    assert b"102" in page.content and b"date" in page.content  # the header is row 1
    assert Update.objects.count() == 0


def test_a_short_import_still_answers_in_the_request(client, people):
    client.force_login(people.member)
    response = _upload(client, _rows(3))
    assert response.status_code == 302 and response["Location"].endswith("/progress/import/")
    assert Update.objects.count() == 3
