"""Publishing a report: moderators only, listed with dates, and each publication's "What changed"
lists exactly what changed since the one before (TEST plan and TEST updates)."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from recovery_tracker.reports.models import Publication
from recovery_tracker.reports.options import ReportOptionError
from recovery_tracker.reports.publications import report_publish

PASSWORD = "test-only-password-123"  # noqa: S105 - the people fixtures' test password

pytestmark = pytest.mark.django_db


def _changes_section(text: str) -> str:
    return text[text.index('id="changes"'):text.index('id="methods"')]


def test_only_moderators_may_publish(client, test_plan, people):
    url = f"/plans/{test_plan.slug}/publications/"
    assert client.post(url, {"as_at": "2024-06-30"}).status_code in (302, 403)
    client.login(username="member", password=PASSWORD)
    page = client.get(url).content.decode()
    assert "Publish this report" not in page
    assert client.post(url, {"as_at": "2024-06-30"}).status_code == 403
    assert not Publication.objects.exists()
    with pytest.raises(Exception, match="Only moderators"):
        report_publish(actor=people.member, plan=test_plan, as_at=dt.date(2024, 6, 30))


def test_a_moderator_publishes_and_the_publication_is_listed_with_its_files(client, test_plan, people, run_tasks):
    client.login(username="moderator", password=PASSWORD)
    url = f"/plans/{test_plan.slug}/publications/"
    assert "Publish this report" in client.get(url).content.decode()
    response = client.post(url, {"as_at": "2024-06-30"})
    assert response.status_code == 302
    # The worker builds and records it.
    assert not Publication.objects.exists()
    run_tasks()
    publication = Publication.objects.get()
    assert publication.as_at == dt.date(2024, 6, 30) and publication.data_version == test_plan.data_version
    assert sorted(f.format for f in publication.files.all()) == ["html", "md", "pdf"]
    listed = client.get(url).content.decode()
    assert "30 June 2024" in listed and "/publications/" in listed
    pdf = client.get(publication.files.get(format="pdf").get_absolute_url())
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The same as-at date again is refused, with the reason on the form.
    again = client.post(url, {"as_at": "2024-06-30"})
    assert again.status_code == 400 and "already published" in again.content.decode()
    assert "Error: " in again.content.decode()


def test_publishing_twice_lists_exactly_the_changes_in_between(test_plan, people, make_published, tmp_path):
    make_published(date=dt.date(2024, 5, 1), status="planned", title="TEST plan agreed")
    first = report_publish(actor=people.moderator, plan=test_plan, as_at=dt.date(2024, 6, 30))
    make_published(date=dt.date(2024, 9, 1), status="in_progress", response="accepted",
                   title="TEST building started")
    second = report_publish(actor=people.moderator, plan=test_plan, as_at=dt.date(2024, 12, 31))
    assert second.since == first.as_at
    html = second.files.get(format="html").file.read().decode()
    changes = _changes_section(html)
    assert "What changed since the last published report" in changes
    assert "TEST building started" in changes and "TEST plan agreed" not in changes
    assert changes.count("<td>Planned</td><td>In progress</td>") == 1
    assert "<td>No response yet</td><td>Accepted</td>" in changes
    # The first report's changes held the first update only.
    first_changes = _changes_section(first.files.get(format="html").file.read().decode())
    assert "TEST plan agreed" in first_changes and "TEST building started" not in first_changes
    with pytest.raises(ReportOptionError, match="already published"):
        report_publish(actor=people.moderator, plan=test_plan, as_at=dt.date(2024, 12, 1))
    pdf = tmp_path / "second.pdf"
    pdf.write_bytes(second.files.get(format="pdf").file.read())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
