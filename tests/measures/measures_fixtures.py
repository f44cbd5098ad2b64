"""Made-up data and helpers for the check page tests (TEST and DEMO data only)."""

from __future__ import annotations

import re
from pathlib import Path

PASSWORD = "test-only-password-123"  # noqa: S105 - test data
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "recovery_tracker" / "data" / "standards" / "examples"

PAYROLL_TEST = (
    "employee_id,sex,hourly_pay,bonus_pay,ethnicity,disability\n"
    "1,male,15.00,100,White British,no\n"
    "2,female,12.00,0,Asian,yes\n"
    "3,M,20,50,White British,no\n"
    "4,F,11,0,,no\n"
    "5,female,14,20,Black,no\n"
    "6,male,13,0,White British,yes\n"
)



def signed_result(page: str) -> str:
    match = re.search(r'name="result" value="([^"]+)"', page)
    assert match, "the page offers no result to save"
    return match.group(1)
