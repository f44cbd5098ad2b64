"""The one upload checker: do a file's bytes match the type its name claims? Used for every upload
(check files on the measures pages, documents attached to updates), so a renamed program or picture
is refused before anything opens it, and text means the same everywhere: UTF-8 (a byte order mark is
fine), because every reader of CSV in the tracker reads UTF-8.
"""

from __future__ import annotations

import os
import zipfile
from typing import BinaryIO

HEAD_BYTES = 8192
# What a zip-based Office file holds besides [Content_Types].xml.
OFFICE_FOLDERS = {".xlsx": "xl/", ".docx": "word/"}
TEXT = frozenset({".csv", ".txt"})


def content_matches(ext: str, stream: BinaryIO) -> bool:
    """True if ``stream`` holds what the lower-case extension ``ext`` (with its dot) says. Leaves the
    stream at its start."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    try:
        if ext == ".pdf":
            return head.startswith(b"%PDF-")
        if ext == ".png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        if ext in (".jpg", ".jpeg"):
            return head.startswith(b"\xff\xd8\xff")
        if ext == ".parquet":
            stream.seek(-4, os.SEEK_END)
            return head.startswith(b"PAR1") and stream.read(4) == b"PAR1"
        if ext in OFFICE_FOLDERS:
            return head.startswith(b"PK\x03\x04") and _office_parts(stream, OFFICE_FOLDERS[ext])
        if ext in TEXT:
            return is_utf8_text(head)
        return False
    finally:
        stream.seek(0)


def is_utf8_text(head: bytes) -> bool:
    """UTF-8 text without NUL bytes (binary files nearly always have one early on). A character cut
    at the end of ``head`` is still text."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 4
    return True


def _office_parts(stream: BinaryIO, folder: str) -> bool:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)
