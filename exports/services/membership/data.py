"""The membership update's data tree: plain data classes the PDF, XLSX, CSV and IATI renderers
read, and a block's aggregate (rollups.selectors' result mean, with its bands counted)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from deliverables.models import Indicator
from rollups import wording
from rollups.bands import Band, band_label
from rollups.selectors import Breakdown, Figure, ResultMean, result_mean


@dataclass
class YearFigure:
    """One reporting year of an indicator: its global target and the year's actual figure."""

    year: int
    start: dt.date
    end: dt.date
    target: Decimal | None
    actual: Decimal | None
    # (dimension, category, value): the year-to-date figure's breakdowns, from the roll-ups.
    dimensions: list[tuple[str, str, Decimal]] = field(default_factory=list)


@dataclass
class IndicatorRow:
    id: int
    code: str
    name: str
    definition: str
    measure: str
    measure_label: str
    unit: str
    ascending: bool
    cumulative: bool
    result_type: str  # "deliverable" or "output"
    result_code: str  # e.g. "A.i" or "O.a"
    outcome_code: str  # "" for institutional outputs
    baseline: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    actual: Decimal | None
    progress: Decimal | None  # 1.0 = 100%
    status: str
    status_label: str
    updates_count: int
    offices_count: int
    provisional_actual: Decimal | None
    marker_codes: list[str]
    counted: bool  # counts in the means and "n of m" (rollups.selectors.indicator_counts)
    figure: Figure | None  # the headline figure the values above come from
    years: list[YearFigure] = field(default_factory=list)
    indicator: Indicator | None = None  # what the figure's wording reads (unit, levels)
    offices_expected: int = 0  # offices assigned the indicator
    offices_reported: int | None = None  # in an open period itself, when the span is longer
    # The headline figure's breakdowns by sex, age and population group (None: none asked for).
    breakdown: Breakdown | None = None

    @property
    def share(self) -> Decimal | None:
        """Return the share (%) of reporting offices of a yes/no or ordinal figure."""
        return self.figure.share if self.figure and self.figure.in_shares else None

    @property
    def value(self) -> Decimal | None:
        """Return the figure in the unit of its target (a share for yes/no and ordinal)."""
        return self.figure.value if self.figure else None

    @property
    def value_text(self) -> str:
        return wording.value_text(self.figure, indicator=self.indicator)

    @property
    def count_text(self) -> str:
        return wording.count_text(self.figure, indicator=self.indicator)

    @property
    def target_text(self) -> str:
        return wording.target_text(self.figure, indicator=self.indicator)

    @property
    def baseline_text(self) -> str:
        if self.figure is None:
            return wording.amount_text(self.baseline, indicator=self.indicator)
        return wording.baseline_text(self.figure, indicator=self.indicator)

    @property
    def period_state(self) -> str:
        return self.figure.period_state if self.figure else ""

    @property
    def period_mark(self) -> str:
        """Return "2023-Q4 open — 12 of 180 offices reported" (or partly reported), or ""."""
        return wording.period_mark(
            self.figure, expected=self.offices_expected, reported=self.offices_reported
        )

    @property
    def breakdown_dimensions(self) -> list:
        """Return the breakdown's dimensions (rollups.selectors.DimensionBreakdown)."""
        return list(self.breakdown.dimensions.values()) if self.breakdown else []


@dataclass
class Aggregate:
    """Mean progress of the indicators that have data, "n of m" and band (DOMAIN.md)."""

    progress: Decimal | None
    n_with_data: int
    n_indicators: int
    band: str
    band_counts: list[tuple[str, str, int]] = field(default_factory=list)  # (band, label, n)
    mean: ResultMean | None = None

    @property
    def band_label(self) -> str:
        return str(Band(self.band).label)

    @property
    def bands_text(self) -> str:
        """Return how many of its indicators are in each band ("2 on track, 5 at risk")."""
        return wording.bands_text(self.mean.bands) if self.mean else ""

    @property
    def explanation(self) -> str:
        """Return why it has its band, in one line, as the dashboards say it."""
        return wording.mean_explanation(self.mean) if self.mean else ""

    @classmethod
    def of(cls, mean: ResultMean) -> Aggregate:
        """Return the aggregate of a result mean, with its band counts."""
        return cls(
            progress=mean.progress,
            n_with_data=mean.with_data,
            n_indicators=mean.indicators,
            band=mean.band,
            band_counts=[(band, band_label(band), n) for band, n in mean.bands],
            mean=mean,
        )


def aggregate(rows: list[IndicatorRow]) -> Aggregate:
    """Return the mean of the rows that count, and how many of them are in each band."""
    counted = [row for row in rows if row.counted]
    return Aggregate.of(result_mean(figures=[row.figure for row in counted]))


@dataclass
class Highlight:
    result_code: str
    indicator_code: str
    indicator_name: str
    office: str
    period: str
    text: str


@dataclass
class TrendPoint:
    period: str
    progress: Decimal | None
    n_with_data: int


@dataclass
class ResultBlock:
    """A deliverable or an institutional output with its indicator table."""

    kind: str  # "deliverable" or "output"
    code: str
    title: str
    short_title: str
    indicators: list[IndicatorRow]
    summary: Aggregate
    highlights: list[Highlight] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.code}".replace(".", "-").lower()


@dataclass
class OutcomeBlock:
    code: str
    title: str
    short_title: str
    description: str
    deliverables: list[ResultBlock]
    summary: Aggregate
    highlights: list[Highlight]
    trend: list[TrendPoint]

    @property
    def anchor(self) -> str:
        return f"outcome-{self.code}"

    @property
    def indicators(self) -> list[IndicatorRow]:
        return [row for block in self.deliverables for row in block.indicators]


@dataclass
class MarkerRow:
    code: str
    name: str
    summary: Aggregate


@dataclass
class GroupProgress:
    label: str
    summary: Aggregate


@dataclass
class RegionRow:
    code: str
    city: str
    name: str
    summary: Aggregate
    updates_count: int
    groups: list[GroupProgress]


@dataclass
class RegionFigure:
    """One indicator's figure in one region over the report's span."""

    region_code: str
    region: str
    indicator_code: str
    indicator_name: str
    measure: str
    target: Decimal | None
    actual: Decimal | None
    progress: Decimal | None
    status: str
    updates_count: int
    offices_count: int


@dataclass
class CompletenessRow:
    period: str
    region: str
    expected: int
    approved: int
    submitted: int

    @property
    def rate(self) -> Decimal | None:
        """Return approved / expected (1.0 = all expected updates approved)."""
        return Decimal(self.approved) / Decimal(self.expected) if self.expected else None


def completeness_totals(rows: list[CompletenessRow], *, key: str) -> list[CompletenessRow]:
    """Return the rows summed by period or by region (`key`)."""
    totals: dict[str, CompletenessRow] = {}
    for row in rows:
        name = getattr(row, key)
        total = totals.setdefault(
            name,
            CompletenessRow(
                period=name if key == "period" else "",
                region=name if key == "region" else "",
                expected=0,
                approved=0,
                submitted=0,
            ),
        )
        total.expected += row.expected
        total.approved += row.approved
        total.submitted += row.submitted
    return list(totals.values())


@dataclass
class MembershipUpdate:
    strategy_id: int
    strategy_code: str
    strategy_title: str
    start_year: int
    end_year: int
    period_from: str
    period_to: str
    start_date: dt.date
    end_date: dt.date
    span: str
    span_label: str
    generated_at: dt.datetime
    data_as_of: dt.datetime | None
    summary: Aggregate
    outcomes: list[OutcomeBlock]
    outputs: list[ResultBlock]
    output_highlights: list[Highlight]
    markers: list[MarkerRow]
    regions: list[RegionRow]
    region_figures: list[RegionFigure]
    completeness: list[CompletenessRow]
    trend: list[TrendPoint]
    years: list[int]
    period_state: str = "closed"  # of `period_to`: "open" while offices are still reporting

    @property
    def range_label(self) -> str:
        if self.period_from == self.period_to:
            return self.period_from
        return f"{self.period_from} – {self.period_to}"

    @property
    def indicators(self) -> list[IndicatorRow]:
        rows = [row for outcome in self.outcomes for row in outcome.indicators]
        return rows + [row for block in self.outputs for row in block.indicators]

    @property
    def breakdown_indicators(self) -> list[IndicatorRow]:
        """Return the indicators whose headline figure has breakdowns."""
        return [row for row in self.indicators if row.breakdown and row.breakdown.dimensions]

    def breakdown_tables(self) -> list[dict]:
        """Return one table per dimension: its category labels and, per indicator broken down
        by it, (indicator row, DimensionBreakdown)."""
        tables: dict[str, dict] = {}
        for row in self.breakdown_indicators:
            for dim in row.breakdown_dimensions:
                table = tables.setdefault(
                    dim.dimension,
                    {
                        "dimension": dim.dimension,
                        "label": dim.label,
                        "parts": dim.parts,
                        "rows": [],
                    },
                )
                table["rows"].append((row, dim))
        return list(tables.values())

    @property
    def completeness_expected(self) -> int:
        return sum(row.expected for row in self.completeness)

    @property
    def completeness_approved(self) -> int:
        return sum(row.approved for row in self.completeness)

    @property
    def completeness_rate(self) -> Decimal | None:
        expected = self.completeness_expected
        return Decimal(self.completeness_approved) / expected if expected else None

    def completeness_by_period(self) -> list[CompletenessRow]:
        """Return one row per period, summed over regions."""
        return completeness_totals(self.completeness, key="period")

    def completeness_by_region(self) -> list[CompletenessRow]:
        """Return one row per region, summed over the range's periods."""
        return completeness_totals(self.completeness, key="region")
