"""Uploads that leave nothing behind: every file goes into one private temporary directory, which
the view deletes in ``finally`` whatever happens, and whose contents are checked by content as
well as by name before any engine reads them.

Django's default handlers keep small files in memory and stream large ones to a named temporary
file that is only removed when garbage collected; payroll files hold personal data, so we take
the whole job over: ``request.upload_handlers = [handler]`` before the body is read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from recovery_tracker.engine.filetypes import content_matches
from recovery_tracker.engine.xlsx_guard import xlsx_problem

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadRule:
    """What one upload field accepts."""

    max_bytes: int
    extensions: tuple[str, ...]  # lower case, with the dot
    # Without signing in: smaller, so that anyone on the internet costs the server little.
    anonymous_max_bytes: int = 5 * MB

    @property
    def max_label(self) -> str:
        return f"{self.max_bytes // MB} MB"

    def limit_for(self, request: HttpRequest) -> int:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        return self.max_bytes if signed_in else min(self.max_bytes, self.anonymous_max_bytes)

    def limit_message(self, limit_bytes: int) -> str:
        message = f"The selected file must be smaller than {limit_bytes // MB} MB"
        if limit_bytes < self.max_bytes:
            message += f" (sign in to upload files up to {self.max_label})"
        return message

    @property
    def types_label(self) -> str:
        names = [ext[1:].upper() for ext in self.extensions]
        return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


PAYROLL_UPLOAD = UploadRule(max_bytes=200 * MB, extensions=(".csv", ".xlsx", ".parquet"), anonymous_max_bytes=20 * MB)
STANDARDS_UPLOAD = UploadRule(max_bytes=20 * MB, extensions=(".csv", ".xlsx"), anonymous_max_bytes=5 * MB)


class DirectoryUploadedFile(UploadedFile):
    """An uploaded file written to our private directory (removed with it, never by the file)."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(file=open(path, "rb"), **kwargs)  # noqa: SIM115 (closed by the handler)
        self.path = path

    def temporary_file_path(self) -> str:
        return self.path


class PrivateDirectoryUploadHandler(FileUploadHandler):
    """Writes each uploaded file into one fresh temporary directory and stops past ``max_bytes``."""

    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.directory: str | None = None
        self.too_large = False
        self._count = 0
        self._handle: Any = None
        self._path = ""
        self._size = 0
        self._files: list[DirectoryUploadedFile] = []

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.directory is None:
            self.directory = upload_folder_create()
        # The user's file name never becomes a path: only a known suffix is kept (engines read by suffix).
        suffix = PurePath(self.file_name or "").suffix.lower()
        if suffix not in {".csv", ".xlsx", ".parquet"}:
            suffix = ".upload"
        self._count += 1
        self._path = os.path.join(self.directory, f"file-{self._count}{suffix}")
        self._handle = open(self._path, "wb")  # noqa: SIM115 (closed in file_complete or cleanup)
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > self.max_bytes:
            self.too_large = True
            self._handle.close()
            # Read and discard the rest of the body, so the fields and the CSRF token still parse.
            raise StopUpload(connection_reset=False)
        self._handle.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile:
        self._handle.close()
        uploaded = DirectoryUploadedFile(
            self._path, name=self.file_name, content_type=self.content_type, size=file_size,
            charset=self.charset, content_type_extra=self.content_type_extra,
        )
        self._files.append(uploaded)
        return uploaded

    def cleanup(self) -> None:
        """Close and delete everything this request wrote. Safe to call more than once."""
        for uploaded in self._files:
            uploaded.close()
        if self._handle is not None and not self._handle.closed:
            self._handle.close()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)


UPLOAD_FOLDER_PREFIX = "recovery-tracker-upload-"
# An upload folder older than this belongs to no live request or task (requests time out after
# two minutes, an import task after fifteen): the sweep removes it.
UPLOAD_FOLDER_MAX_AGE_SECONDS = 60 * 60


def upload_root() -> Path:
    """The one folder every upload folder lives in (mode 0700: only this service's user reads payrolls)."""
    root = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def upload_folder_create() -> str:
    """A fresh private folder (0700) for one upload's files."""
    return tempfile.mkdtemp(prefix=UPLOAD_FOLDER_PREFIX, dir=upload_root())


def upload_folders_sweep(*, max_age_seconds: int = UPLOAD_FOLDER_MAX_AGE_SECONDS, now: float | None = None) -> int:
    """Remove upload folders older than ``max_age_seconds``: left behind when a worker was killed
    mid-request (no ``finally`` runs then). Run at start-up and hourly; returns how many it removed."""
    import time

    now = time.time() if now is None else now
    removed = 0
    for folder in upload_root().glob(UPLOAD_FOLDER_PREFIX + "*"):
        try:
            if folder.is_dir() and now - folder.stat().st_mtime > max_age_seconds:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except FileNotFoundError:  # removed by its own request meanwhile
            continue
    return removed


def install_private_upload_handler(request: HttpRequest, *, max_bytes: int) -> PrivateDirectoryUploadHandler:
    """Make ``request`` stream its files into a private directory. Call before reading POST/FILES."""
    handler = PrivateDirectoryUploadHandler(request, max_bytes=max_bytes)
    request.upload_handlers = [handler]
    return handler


def upload_problem(upload: UploadedFile | None, rule: UploadRule, *, too_large: bool = False,
                   limit_bytes: int | None = None) -> str | None:
    """Why this upload cannot be checked (in words for the user), or None if it is acceptable.

    The name's extension must be allowed, and the first bytes must be what that extension claims:
    a renamed program or picture is refused before any engine opens it. An XLSX is also looked
    inside (parts, sizes, compression, claimed dimensions) before any reader opens it.
    """
    limit_bytes = rule.max_bytes if limit_bytes is None else limit_bytes
    if too_large:
        return rule.limit_message(limit_bytes)
    if upload is None:
        return f"Select a {rule.types_label} file"
    name = upload.name or "file"
    ext = PurePath(name).suffix.lower()
    if ext not in rule.extensions:
        return f"The selected file must be a {rule.types_label} file"
    if not upload.size:
        return "The selected file is empty"
    if upload.size > limit_bytes:
        return rule.limit_message(limit_bytes)
    path = Path(upload.temporary_file_path())
    with open(path, "rb") as stream:
        matches = content_matches(ext, stream)
    if not matches:
        if ext == ".csv":
            return "The selected file must be a CSV file saved as UTF-8 text (in a spreadsheet: Save as, CSV UTF-8)"
        return f"The selected file is not a real {ext[1:].upper()} file: save it again as {ext[1:].upper()}"
    if ext == ".xlsx":
        return xlsx_problem(path, PurePath(name).name)
    return None
