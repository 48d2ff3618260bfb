"""The membership update: HQ's periodic report to member states, built from the roll-ups
(`membership.py`) and rendered as PDF, XLSX, CSV or IATI 2.03 XML (one module per format).
`jobs.py` runs an export as a background job that records its progress."""

from jobs.runner import JobError


class ExportError(JobError):
    """An export that cannot be made as asked (a bad range or format); the message is shown."""
