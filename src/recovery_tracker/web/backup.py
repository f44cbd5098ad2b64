"""Backup and restore of a whole instance: every table, every uploaded file, the data version.

The archive is one ZIP file:

- ``manifest.json``: format, when, which Recovery Tracker and database engine made it, the applied
  migrations (a restore needs the same), the data version of each plan, the rows per table, and
  the size and SHA-256 of every other member;
- ``db/NNN-app_label.model.json``: every row of every model, in Django's JSON serialisation, in
  dependency order (so it restores on SQLite or PostgreSQL, whichever made it);
- ``media/...``: every uploaded file, as stored.

A consistent copy while the site serves: on SQLite the database is first copied with SQLite's
online backup API and the rows are read from that copy; on PostgreSQL they are read inside one
REPEATABLE READ transaction (one snapshot).

Restore goes into an empty home only (migrated database with no rows, no uploads): it checks
every checksum and the migrations before writing anything, and loads everything in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from recovery_tracker import __version__

__all__ = ["ARCHIVE_FORMAT", "BackupError", "BackupResult", "RestoreResult", "backup_write", "restore_read"]

ARCHIVE_FORMAT = "recovery-tracker-backup/1"
SNAPSHOT_ALIAS = "backup_snapshot"
_CHUNK = 1 << 20


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's JSON, but times keep their microseconds (Django's own encoder cuts them to
    milliseconds), so a restored row is the row that was backed up, to the microsecond."""

    def default(self, o: object) -> object:
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    tables: dict[str, int]
    files: int

    def summary(self) -> str:
        return (f"Backed up {sum(self.tables.values())} rows in {len(self.tables)} tables and {self.files} "
                f"uploaded files to {self.path}")


@dataclass
class RestoreResult:
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def summary(self) -> str:
        return f"Restored {sum(self.tables.values())} rows in {len(self.tables)} tables and {self.files} files"


def _models_in_order() -> list[type[models.Model]]:
    """Every concrete model with a table, parents before the models that point at them."""
    app_list = {config: None for config in apps.get_app_configs()}
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [m for m in ordered if m._meta.managed and not m._meta.proxy]


def _applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _snapshot_alias(workdir: Path, alias: str) -> Iterator[str]:
    """A database alias to read a consistent snapshot from."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        copy = workdir / "snapshot.sqlite3"
        # SQLite's online backup API: a page-by-page copy that is consistent even while the site writes.
        connection.ensure_connection()
        target = sqlite3.connect(str(copy))
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        connections.databases[SNAPSHOT_ALIAS] = {**connection.settings_dict, "NAME": str(copy), "CONN_MAX_AGE": 0,
                                                 "TEST": {"NAME": str(copy)}}
        connections[SNAPSHOT_ALIAS].connect()
        try:
            yield SNAPSHOT_ALIAS
        finally:
            connections[SNAPSHOT_ALIAS].close()
            del connections[SNAPSHOT_ALIAS]
            connections.databases.pop(SNAPSHOT_ALIAS, None)
        return
    # PostgreSQL: one REPEATABLE READ transaction sees one snapshot for every table (inside a
    # caller's transaction, that transaction already is the snapshot).
    outer = connection.in_atomic_block
    with transaction.atomic(using=alias):
        if not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield alias


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted((path, path.relative_to(root).as_posix()) for path in root.rglob("*") if path.is_file())


def _data_version(alias: str) -> dict[str, str]:
    try:
        plan_model = apps.get_model("catalogue", "Plan")
    except LookupError:
        return {}
    return {slug: version for slug, version in plan_model.objects.using(alias).values_list("slug", "data_version")}


def backup_write(output: Path, *, alias: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write the whole instance to ``output`` (a new ZIP file), written beside it and then renamed,
    so a failed backup never leaves a half-written archive under the final name."""
    output = Path(output)
    if output.exists() and output.is_dir():
        raise BackupError(f"{output} is a folder: give a file name, e.g. {output / 'backup.zip'}")
    output.parent.mkdir(parents=True, exist_ok=True)
    tables: dict[str, int] = {}
    checksums: dict[str, dict[str, Any]] = {}
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="rt-backup-") as tmp:
        workdir = Path(tmp)
        try:
            with (_snapshot_alias(workdir, alias) as snapshot,
                  zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive):
                migrations = _applied_migrations(snapshot)
                data_version = _data_version(snapshot)
                for number, model in enumerate(_models_in_order()):
                    label = model._meta.label_lower
                    name = f"db/{number:03d}-{label}.json"
                    path = workdir / "table.json"
                    queryset = model._base_manager.using(snapshot).order_by("pk")
                    with path.open("w", encoding="utf-8") as handle:
                        serializers.serialize("json", queryset.iterator(chunk_size=2000), stream=handle,
                                              cls=ExactJSONEncoder)
                    tables[label] = queryset.count()
                    archive.write(path, name)
                    checksums[name] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
                files = _media_files()
                for source, relative in files:
                    name = f"media/{relative}"
                    archive.write(source, name)
                    checksums[name] = {"sha256": _sha256_file(source), "size": source.stat().st_size}
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(),
                    "recovery_tracker_version": __version__,
                    "engine": connections[alias].vendor,
                    "migrations": migrations,
                    "data_version": data_version,
                    "tables": tables,
                    "members": checksums,
                }
                archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
            os.chmod(partial, 0o600)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(path=output, tables=tables, files=len(files))


# ── restore ─────────────────────────────────────────────────────────────────────────────────


def _read_manifest(archive: zipfile.ZipFile, source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError:
        raise BackupError(f"{source} has no manifest.json: it is not a Recovery Tracker backup.") from None
    except (ValueError, zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{source}: manifest.json is damaged ({error}).") from None
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"{source} is in format {manifest.get('format')!r}; this version reads "
                          f"{ARCHIVE_FORMAT!r}. Restore it with the Recovery Tracker version that made it "
                          f"({manifest.get('recovery_tracker_version', 'unknown')}).")
    return manifest


def _verify(archive: zipfile.ZipFile, manifest: dict[str, Any], source: Path) -> None:
    """Every member listed, present and unchanged; nothing unlisted; no path leaving the home."""
    listed = set(manifest.get("members", {}))
    present = {info.filename for info in archive.infolist() if not info.is_dir()} - {"manifest.json"}
    if listed - present:
        raise BackupError(f"{source} is damaged: missing {', '.join(sorted(listed - present)[:5])}.")
    if present - listed:
        raise BackupError(f"{source} holds files its manifest does not list ({', '.join(sorted(present - listed)[:5])})"
                          ": it was changed after it was made.")
    for name, expected in manifest["members"].items():
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or pure.parts[0] not in ("db", "media"):
            raise BackupError(f"{source} is damaged: member {name!r} is outside db/ and media/.")
        digest = hashlib.sha256()
        try:
            with archive.open(name) as handle:
                for chunk in iter(lambda: handle.read(_CHUNK), b""):
                    digest.update(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BackupError(f"{source} is damaged: {name} cannot be read ({error}).") from None
        if digest.hexdigest() != expected.get("sha256"):
            raise BackupError(f"{source} is damaged: {name} does not match its checksum in the manifest.")


def _target_empty(alias: str) -> None:
    counts = []
    for label in ("auth.user", "catalogue.plan", "catalogue.organisation", "audit.auditentry"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        count = model._base_manager.using(alias).count()
        if count:
            counts.append(f"{count} {model._meta.verbose_name_plural}")
    if counts:
        raise BackupError(f"The database already holds data ({', '.join(counts)}). Restore only into an empty home: "
                          "a new RECOVERY_TRACKER_HOME, or a new empty DATABASE_URL.")
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        raise BackupError(f"The uploads folder {media} is not empty. Restore only into an empty home.")


def restore_read(source: Path, *, alias: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Restore ``source`` into this (empty) home. Refuses a damaged or mismatched archive, or a
    home that holds data, before writing anything."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{source} is not a readable backup archive ({error}).") from None
    with archive:
        manifest = _read_manifest(archive, source)
        _verify(archive, manifest, source)
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        here = _applied_migrations(alias)
        if here != sorted(manifest.get("migrations", [])):
            missing = sorted(set(manifest.get("migrations", [])) - set(here))
            extra = sorted(set(here) - set(manifest.get("migrations", [])))
            raise BackupError(
                f"{source} was made by Recovery Tracker {manifest.get('recovery_tracker_version')} with a different "
                f"database layout (here but not in the backup: {', '.join(extra[:3]) or 'none'}; in the backup "
                f"but not here: {', '.join(missing[:3]) or 'none'}). Restore with the same version, then upgrade.")
        _target_empty(alias)
        known = {m._meta.label_lower: m for m in _models_in_order()}
        unknown = sorted(set(manifest.get("tables", {})) - set(known))
        if unknown:
            raise BackupError(f"{source} holds tables this installation does not have: {', '.join(unknown)}.")
        result = RestoreResult()
        tables = sorted(name for name in manifest["members"] if name.startswith("db/"))
        with transaction.atomic(using=alias):
            connection = connections[alias]
            # The tables that migrate fills by itself (content types, permissions) are replaced
            # by the archive's rows, so every id is as it was.
            with connection.constraint_checks_disabled():
                for model in reversed(list(known.values())):
                    model._base_manager.using(alias).all()._raw_delete(alias)
                for name in tables:
                    with archive.open(name) as handle:
                        count = 0
                        for obj in serializers.deserialize("json", handle, using=alias):
                            obj.save(using=alias)
                            count += 1
                    label = name.split("-", 1)[1].removesuffix(".json")
                    result.tables[label] = count
            connection.check_constraints()
            sequences = connection.ops.sequence_reset_sql(no_style(), list(known.values()))
            if sequences:
                with connection.cursor() as cursor:
                    for statement in sequences:
                        cursor.execute(statement)
            for label, expected in manifest["tables"].items():
                if result.tables.get(label, 0) != expected:
                    raise BackupError(f"{source}: {label} has {result.tables.get(label, 0)} rows, the manifest "
                                      f"says {expected}. Nothing was restored.")
        media = Path(settings.MEDIA_ROOT)
        for name in manifest["members"]:
            if not name.startswith("media/"):
                continue
            target = media / PurePosixPath(name).relative_to("media")
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with archive.open(name) as handle, target.open("wb") as out:
                shutil.copyfileobj(handle, out, _CHUNK)
            os.chmod(target, 0o600)
            result.files += 1
    return result
