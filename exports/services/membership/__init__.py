"""The membership update as plain data: everything the PDF, XLSX, CSV and IATI renderers show,
read from the roll-ups through rollups.selectors. `data` holds the data classes, `build` the
range and the build, the other modules one section each."""

from exports.services.membership.build import (
    export_periods_resolve,
    export_span,
    membership_update_build,
)
from exports.services.membership.data import (
    Aggregate,
    IndicatorRow,
    MembershipUpdate,
    ResultBlock,
    TrendPoint,
)

__all__ = [
    "Aggregate",
    "IndicatorRow",
    "MembershipUpdate",
    "ResultBlock",
    "TrendPoint",
    "export_periods_resolve",
    "export_span",
    "membership_update_build",
]
