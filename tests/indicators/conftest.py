from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def shipped(west_midlands):
    """The West Midlands plan with the shipped statistics, as `recovery-tracker setup` loads them."""
    from recovery_tracker.indicators.setup import statistics_load_shipped

    statistics_load_shipped()
    return west_midlands


@pytest.fixture
def demo_files():
    """Build the made-up DEMO indicator's files, optionally with other CSV or metadata text."""
    return _demo_files


@pytest.fixture
def data_dir() -> Path:
    return DATA


def _demo_files(csv_text: str | None = None, meta_text: str | None = None):
    from recovery_tracker.indicators.services import InputFile

    data = (csv_text if csv_text is not None else (DATA / "test-demo-jobs.csv").read_text()).encode()
    meta = (meta_text if meta_text is not None else (DATA / "test-demo-jobs.yaml").read_text()).encode()
    return [InputFile("test-demo-jobs.csv", data)], [InputFile("test-demo-jobs.yaml", meta)]
