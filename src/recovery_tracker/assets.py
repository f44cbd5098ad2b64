"""Copy GOV.UK Frontend from node_modules into our static folder, under our own brand.

Run by ``make assets`` after ``npm ci``. The GDS Transport typeface and the crown are licensed for
GOV.UK only, so the copy points the stylesheet at system fonts and leaves the crest out.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TARGET = PACKAGE_DIR / "static" / "govuk"


def copy_govuk_frontend(node_modules: Path) -> Path:
    source = node_modules / "govuk-frontend" / "dist" / "govuk"
    if not (source / "govuk-frontend.min.css").exists():
        raise SystemExit(
            f"GOV.UK Frontend not found in {source}. Run `npm ci` in the repository root first."
        )
    if TARGET.exists():
        shutil.rmtree(TARGET)
    (TARGET / "assets" / "images").mkdir(parents=True)
    css = (source / "govuk-frontend.min.css").read_text(encoding="utf-8")
    css = re.sub(r"@font-face\{font-family:GDS Transport;[^}]*\}", "", css)
    css = css.replace("GDS Transport,arial,sans-serif", "arial,sans-serif")
    css = css.replace("url(/assets/", "url(/static/govuk/assets/")
    (TARGET / "govuk-frontend.min.css").write_text(css, encoding="utf-8")
    shutil.copy2(source / "govuk-frontend.min.js", TARGET / "govuk-frontend.min.js")
    for image in (source / "assets" / "images").iterdir():
        if "crest" not in image.name and "crown" not in image.name:
            shutil.copy2(image, TARGET / "assets" / "images" / image.name)
    return TARGET


def copy_axe_core(root: Path) -> Path | None:
    """axe-core (from npm, a dev dependency) for the browser tests' accessibility checks, copied
    into ``tests/data/vendor`` so no test ever fetches it. Skipped where there is no tests folder."""
    source = root / "node_modules" / "axe-core" / "axe.min.js"
    tests = root / "tests"
    if not tests.is_dir() or not source.exists():
        return None
    target = tests / "data" / "vendor" / "axe.min.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return target


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    print(f"GOV.UK Frontend copied to {copy_govuk_frontend(root / 'node_modules')}")
    if (axe := copy_axe_core(root)) is not None:
        print(f"axe-core copied to {axe}")
