"""Static files with hashed names, gzip and brotli copies (made by ``setup``'s collect step)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names for the files ``setup`` collected; the plain name for any other file.

    A fresh checkout running its tests, or a file added since the last ``setup``, still gets a
    working page: WhiteNoise serves the plain name from the package folders (with a short lifetime).
    """

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        try:
            return super().stored_name(name)
        except ValueError:
            return name
