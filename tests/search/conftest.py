"""Shared people fixtures, loaded by path because test folders are not packages."""

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "progress" / "people_fixtures.py"
if "progress_people_fixtures" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("progress_people_fixtures", _PATH)
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["progress_people_fixtures"] = _module
    _spec.loader.exec_module(_module)
from progress_people_fixtures import make_published, media_in_tmp, people, rec, update_data  # noqa: E402, F401
