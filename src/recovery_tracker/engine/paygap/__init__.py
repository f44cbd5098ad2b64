"""Pay gaps from payroll files, exactly as the 2017 regulations define them (no Django).

Typical use::

    payroll = read_payroll("payroll.csv", mapping=load_mapping("mapping.yaml"))
    report = paygap_report(payroll, date(2025, 4, 5), by=("sex", "ethnicity", "disability"))
    report.sex.figures["DiffMeanHourlyPercent"]   # Decimal, 1 dp, half-even
    report_to_dict(report)                         # JSON-ready

``read_payroll`` raises ``PayrollFileError`` (with ``.problems``: row, column, message) and produces
no figures from a file with any problem.
"""

from .compute import Comparison, GroupStats, QuarterBands
from .errors import PayrollFileError
from .govuk import DOWNLOAD_COLUMNS, FIGURE_FIELDS, download_csv, validate_govuk_figures
from .reader import COLUMNS, Payroll, load_mapping, normalise_payroll, read_payroll
from .report import GroupComparison, GroupPayGap, LowPay, PayGapReport, SexPayGap, paygap_report
from .rules import band_sizes, round_published
from .serialise import govuk_download_row, report_to_dict

__all__ = [
    "COLUMNS",
    "DOWNLOAD_COLUMNS",
    "FIGURE_FIELDS",
    "Comparison",
    "GroupComparison",
    "GroupPayGap",
    "GroupStats",
    "LowPay",
    "PayGapReport",
    "Payroll",
    "PayrollFileError",
    "QuarterBands",
    "SexPayGap",
    "band_sizes",
    "download_csv",
    "govuk_download_row",
    "load_mapping",
    "normalise_payroll",
    "paygap_report",
    "read_payroll",
    "report_to_dict",
    "round_published",
    "validate_govuk_figures",
]
