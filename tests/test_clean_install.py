"""A plain install (no dev extras) can import every module: every import is a declared dependency.

The test venv holds exactly the dependencies ``pyproject.toml`` declares (not the dev extras), and is
kept under ``var/`` between runs, keyed by those declarations and the Python version: a changed
dependency list makes a new one. The package itself is built from this tree and installed afresh on
every run, and ``pip check`` confirms that what it declares is what the venv has.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

IMPORT_EVERY_MODULE = """
import importlib, importlib.util, os, pkgutil
os.environ["DJANGO_SETTINGS_MODULE"] = "recovery_tracker.web.settings"
import django
django.setup()
# The dev extras are not there, so nothing can lean on them.
assert importlib.util.find_spec("pytest") is None and importlib.util.find_spec("pandas") is None
import recovery_tracker
assert "site-packages" in recovery_tracker.__file__, recovery_tracker.__file__
names = [m.name for m in pkgutil.walk_packages(recovery_tracker.__path__, "recovery_tracker.")]
for name in names:
    importlib.import_module(name)
from recovery_tracker.engine.paygap import scan
print(len(names), "modules", "scan built" if scan.available() else "scan not built")
"""


def _clean_venv() -> Path:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dependencies = sorted(project["dependencies"])
    key = hashlib.sha256("\n".join([sys.version, *dependencies]).encode()).hexdigest()[:16]
    venv = ROOT / "var" / f"clean-install-{key}"
    if not (venv / "ready").exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *dependencies], check=True)
        (venv / "ready").touch()
    return venv


@pytest.mark.timeout(1800)
def test_a_plain_install_imports_every_module(tmp_path):
    venv = _clean_venv()
    python = str(venv / "bin" / "python")
    wheels = tmp_path / "wheels"
    subprocess.run([python, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    wheel = next(wheels.glob("recovery_tracker-*.whl"))
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)], check=True)
    checked = subprocess.run([python, "-m", "pip", "check"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    env = {"PATH": str(venv / "bin"), "HOME": str(tmp_path), "RECOVERY_TRACKER_HOME": str(tmp_path / "home")}
    # Run from an empty folder so nothing in the source tree can be imported by accident.
    run = subprocess.run([python, "-c", IMPORT_EVERY_MODULE], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "modules" in run.stdout
