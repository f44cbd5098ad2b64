"""The GOV.UK Frontend copy carries our brand, not GOV.UK's typeface or crown."""

import re
from pathlib import Path

import recovery_tracker

STATIC = Path(recovery_tracker.__file__).parent / "static" / "govuk"


def test_stylesheet_uses_system_fonts_and_local_asset_paths():
    css = (STATIC / "govuk-frontend.min.css").read_text()
    assert "GDS Transport" not in css
    assert "url(/assets/" not in css


def test_no_crown_or_crest_is_shipped():
    names = [path.name for path in (STATIC / "assets" / "images").iterdir()]
    assert names and not any("crest" in name or "crown" in name for name in names)


def test_pages_load_the_stylesheet(client, test_plan):
    page = client.get("/plans/test-plan/").content.decode()
    # Under a hashed name once `setup` has collected the static files.
    assert re.search(r'href="/static/govuk/govuk-frontend\.min(\.[0-9a-f]+)?\.css"', page)
    assert client.get("/static/govuk/govuk-frontend.min.css").status_code == 200
