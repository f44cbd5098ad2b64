"""Backup and restore: a populated instance comes back identical, on SQLite and on PostgreSQL.

The instance is made through the services (users, memberships, updates with links and uploaded
documents, a published correction, a saved check result, an API token, the audit rows they all
write). It is backed up with `backup_write`, restored into fresh empty databases on both engines
and in fresh upload folders, and every row of every model and every file is compared.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import sys
import zipfile
from pathlib import Path

import psycopg
import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from recovery_tracker.web.backup import BackupError, ExactJSONEncoder, _models_in_order, backup_write, restore_read

_PATH = Path(__file__).resolve().parent.parent / "progress" / "people_fixtures.py"
if "progress_people_fixtures" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("progress_people_fixtures", _PATH)
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["progress_people_fixtures"] = _module
    _spec.loader.exec_module(_module)
from progress_people_fixtures import people, rec, update_data  # noqa: E402, F401

# Shared PostgreSQL server; each test run uses its own database name (dropped afterwards).
PG_SERVER = os.environ.get("RECOVERY_TRACKER_TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PDF_TEST = b"%PDF-1.4\n% TEST document for the backup test\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-source"
    return settings.MEDIA_ROOT


@pytest.fixture
def populated(db, media, people, rec, update_data):  # noqa: F811 - fixtures imported above
    from recovery_tracker.accounts.services import api_token_create
    from recovery_tracker.measures.models import MeasureResult
    from recovery_tracker.progress import services

    first = services.update_create_draft(
        actor=people.member, recommendation=rec, organisation=people.authority, voice="self_report",
        data=update_data(body=people.authority, status="in_progress", title="Backed-up TEST update",
                         links=[("https://example.org/TEST", "Minutes (TEST)")]),
        documents=[SimpleUploadedFile("minutes.pdf", PDF_TEST, content_type="application/pdf")],
    )
    services.update_submit(actor=people.member, update=first)
    services.update_publish(actor=people.moderator, update=first)
    correction = services.update_correct(actor=people.member, update=first)
    services.update_submit(actor=people.member, update=correction)
    services.update_publish(actor=people.moderator, update=correction)
    services.update_create_draft(actor=people.assessor, recommendation=rec, organisation=people.union,
                                 voice="independent_assessment", data=update_data(body=people.authority))
    MeasureResult.objects.create(kind="procurement", organisation=people.authority, title="TEST result",
                                 headline="TEST headline", summary={"summary": {"share": 0.5}},
                                 created_by=people.member)
    api_token_create(people.member, name="TEST token")
    # A time with fewer than a thousand microseconds: Django's own JSON would round it to the millisecond.
    from recovery_tracker.progress.models import Update

    Update.objects.filter(pk=first.pk).update(published_at=dt.datetime(2026, 1, 2, 3, 4, 5, 123, tzinfo=dt.UTC))
    return people


def _alias(name: str, url: str) -> str:
    import dj_database_url

    configured = connections.configure_settings({"default": dict(connections.databases["default"]),
                                                 name: dj_database_url.parse(url)})
    connections.databases[name] = configured[name]
    connections[name].connect()  # opened here: the test case only admits connections already open
    return name


def _forget(alias: str) -> None:
    connections[alias].close()
    del connections[alias]  # else the next test with this alias would get this connection back
    connections.databases.pop(alias)


@pytest.fixture
def sqlite_target(tmp_path):
    alias = _alias("restore_sqlite", f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    yield alias
    _forget(alias)


@pytest.fixture
def postgres_target():
    name = f"rt_restore_test_{os.getpid()}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    alias = _alias("restore_postgres", f"{PG_SERVER}/{name}")
    yield alias
    _forget(alias)
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rows(alias: str) -> dict[str, list]:
    # Times to the microsecond: a restore must not round anything.
    return {model._meta.label_lower: json.loads(serializers.serialize(
        "json", model._base_manager.using(alias).order_by("pk"), cls=ExactJSONEncoder))
        for model in _models_in_order()}


def _differences(before: dict[str, list], after: dict[str, list]) -> list[tuple]:
    """(model, pk, field, before, after) for every field that differs, to say what a failure is about."""
    found = []
    for label, rows in before.items():
        restored = {row["pk"]: row["fields"] for row in after.get(label, [])}
        for row in rows:
            other = restored.get(row["pk"], {})
            found += [(label, row["pk"], name, value, other.get(name)) for name, value in row["fields"].items()
                      if other.get(name) != value]
    return found


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target", ["sqlite_target", "postgres_target"])
def test_restore_gives_an_identical_database_and_files_on_either_engine(populated, media, settings, tmp_path,
                                                                        target, request):
    archive = tmp_path / "backup.zip"
    result = backup_write(archive)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    assert manifest["data_version"]["test-plan"] and manifest["tables"]["progress.update"] == 3
    assert result.files == 1 and any(name.startswith("media/evidence/") for name in manifest["members"])

    before_rows, before_files = _rows("default"), _files(media)
    must_have = ["auth.user", "auth.group", "accounts.membership", "audit.auditentry", "accounts.apitoken",
                 "catalogue.plan", "catalogue.recommendation", "catalogue.organisation", "progress.update",
                 "progress.evidencelink", "progress.evidencedocument", "measures.measureresult",
                 "contenttypes.contenttype", "auth.permission"]
    assert all(before_rows[label] for label in must_have)

    alias = request.getfixturevalue(target)
    settings.MEDIA_ROOT = tmp_path / "media-restored"
    restored = restore_read(archive, alias=alias)
    assert restored.files == 1
    after_rows = _rows(alias)
    assert after_rows == before_rows, _differences(before_rows, after_rows)  # every row of every model, ids included
    assert _files(settings.MEDIA_ROOT) == before_files
    # A new row after the restore gets a fresh id (the id sequences were moved past the restored rows).
    from recovery_tracker.audit.models import AuditEntry

    newest = AuditEntry.objects.using(alias).order_by("-pk").first().pk
    entry = AuditEntry(action="TEST", object_type="TEST", object_id="1")
    entry.save(using=alias)
    assert entry.pk > newest


def _rewrite(archive: Path, out: Path, change) -> None:
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))


@pytest.mark.django_db(transaction=True)
def test_damaged_or_mismatched_archives_are_refused_before_anything_is_written(populated, tmp_path, settings,
                                                                               sqlite_target):
    archive = tmp_path / "backup.zip"
    backup_write(archive)
    settings.MEDIA_ROOT = tmp_path / "media-restored"

    flipped = tmp_path / "flipped.zip"
    _rewrite(archive, flipped, lambda name, data: data.replace(b"Backed-up TEST", b"Tampered TEST")
             if name.startswith("db/") else data)
    with pytest.raises(BackupError, match=r"progress\.update\.json does not match its checksum"):
        restore_read(flipped, alias=sqlite_target)

    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(BackupError, match="not a readable backup archive"):
        restore_read(truncated, alias=sqlite_target)

    def older_layout(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"] = [m for m in manifest["migrations"] if not m.startswith("measures.0003")]
        return json.dumps(manifest).encode()

    mismatched = tmp_path / "mismatched.zip"
    _rewrite(archive, mismatched, older_layout)
    with pytest.raises(BackupError, match="different database layout"):
        restore_read(mismatched, alias=sqlite_target)

    from recovery_tracker.catalogue.models import Plan

    assert not Plan.objects.using(sqlite_target).exists()  # nothing was written by the refusals
    assert not Path(settings.MEDIA_ROOT).exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_home_that_holds_data(populated, tmp_path):
    archive = tmp_path / "backup.zip"
    backup_write(archive)
    with pytest.raises(BackupError, match="already holds data"):
        restore_read(archive)  # the populated database itself


def test_restore_command_says_what_is_wrong(tmp_path):
    from typer.testing import CliRunner

    from recovery_tracker.cli import app

    (tmp_path / "not-a-backup.zip").write_bytes(b"TEST: not a zip file")
    result = CliRunner().invoke(app, ["restore", str(tmp_path / "not-a-backup.zip")])
    assert result.exit_code == 1
    assert "Restore refused" in result.output and "not a readable backup archive" in result.output

