"""The roll-up table: figures computed from approved (and, provisionally, submitted) updates.

Stored rows are the readers' figures per region, per headquarters (the units that belong to
no region) and global; an office's own figures are computed on request from its updates by
the same statements (rollups.services), as unsaved rows of scope "office".
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deliverables.models import Indicator
from offices.models import Office, Region
from reporting.models import ReportingPeriod


class Rollup(models.Model):
    """A computed figure for one indicator, scope and span of periods ending at `period`.

    Rows are recomputed from approved updates and upserted, never incremented, so computing
    twice is harmless. Provisional figures also count submitted updates.
    """

    class Scope(models.TextChoices):
        OFFICE = "office", _("Office")
        REGION = "region", _("Region")
        HEADQUARTERS = "hq", _("Headquarters")
        GLOBAL = "global", _("Global")

    class Span(models.TextChoices):
        PERIOD = "period", _("Period")
        YEAR_TO_DATE = "ytd", _("Year to date")
        STRATEGY_TO_DATE = "std", _("Strategy to date")

    class Status(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        # Approved data but nothing to measure it against (no target, or target = baseline).
        NO_TARGET = "no_target", _("No target")
        NO_DATA = "no_data", _("No data")

    # Rows are derived and rebuilt in bulk: no database-level foreign keys (Django still
    # cascades deletes) and no single-column indexes (the unique and dashboard indexes below
    # serve every lookup), which makes writing hundreds of thousands of rows several times
    # cheaper.
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="rollups",
        verbose_name=_("indicator"),
        db_constraint=False,
        db_index=False,
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="rollups",
        verbose_name=_("period"),
        db_constraint=False,
        db_index=False,
    )
    span = models.CharField(_("span"), max_length=10, choices=Span.choices, default=Span.PERIOD)
    actual = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    # Ordinal measures: {"1": n, "2": n, ...} offices per level.
    distribution = models.JSONField(default=dict, blank=True)
    # Yes/no and ordinal measures: share (%) of reporting offices answering yes / at or above
    # the target level; progress is measured on it.
    share = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    # What should have been reached by the end of `period` (statuses compare against it).
    target_prorated = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    baseline = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    progress = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True, help_text=_("1.0 = 100%")
    )
    # Progress against what should have been reached by the end of `period` (the pro-rated
    # target): what puts a figure on track, at risk or off track (rollups.bands).
    pace = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NO_DATA)
    updates_count = models.PositiveIntegerField(default=0)
    offices_count = models.PositiveIntegerField(default=0)
    provisional_actual = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    # Percentage measures: the provisional figure's summed parts (so global sums buckets).
    provisional_numerator = models.DecimalField(
        max_digits=20, decimal_places=4, null=True, blank=True
    )
    provisional_denominator = models.DecimalField(
        max_digits=20, decimal_places=4, null=True, blank=True
    )
    provisional_updates_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "period", "scope"]
        db_table = "reporting_rollup"  # created by reporting's migrations; no data moves
        verbose_name = _("roll-up")
        verbose_name_plural = _("roll-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "span"],
                condition=Q(scope="global"),
                name="rollup_global_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "span", "region"],
                condition=Q(scope="region"),
                name="rollup_region_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "span"],
                condition=Q(scope="hq"),
                name="rollup_hq_unique",
            ),
            # Office figures are computed on request, never stored.
            models.CheckConstraint(
                condition=(
                    Q(scope="global", region__isnull=True, office__isnull=True)
                    | Q(scope="region", region__isnull=False, office__isnull=True)
                    | Q(scope="hq", region__isnull=True, office__isnull=True)
                ),
                name="rollup_scope_matches_keys",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "span", "scope"], name="rollup_dashboard_idx"),
            # An indicator's rows of some periods and spans: what a recomputation replaces and
            # global rows are summed from.
            models.Index(fields=["indicator", "period", "span"], name="rollup_indicator_idx"),
        ]

    def __str__(self) -> str:
        where = self.office or self.region or _("global")
        return f"{self.indicator.code} · {where} · {self.period} ({self.span})"

    @property
    def progress_percent(self) -> Decimal | None:
        return None if self.progress is None else self.progress * 100

    def breakdown(self) -> dict[str, dict[str, Decimal | None]]:
        """Return {dimension: {category: figure}} for each dimension some update broke down."""
        return {
            dim: {cat: getattr(self, f"part_{dim}_{cat}") for cat, _label in categories}
            for dim, categories in Indicator.DIMENSION_CATEGORIES.items()
            if getattr(self, f"covered_{dim}_updates")
        }

    def coverage(self, dimension: str) -> tuple[int, Decimal | None]:
        """Return how many of the figure's updates gave this breakdown, and their total."""
        return (
            getattr(self, f"covered_{dimension}_updates"),
            getattr(self, f"covered_{dimension}_total"),
        )


# The breakdowns, summed by the same rules as the totals: one column per category of each
# disaggregation dimension (the categories are fixed: deliverables.Indicator), and for each
# dimension the number of updates that gave it and their total ("12,000, of which 9,500 by sex").
BREAKDOWN_DIMENSIONS: tuple[str, ...] = tuple(Indicator.DIMENSION_CATEGORIES)
BREAKDOWN_PARTS: list[tuple[str, str, str]] = [
    (dim, cat, f"part_{dim}_{cat}")
    for dim, categories in Indicator.DIMENSION_CATEGORIES.items()
    for cat, _label in categories
]
for _dim, _cat, _column in BREAKDOWN_PARTS:
    Rollup.add_to_class(
        _column, models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    )
for _dim in BREAKDOWN_DIMENSIONS:
    Rollup.add_to_class(f"covered_{_dim}_updates", models.PositiveIntegerField(default=0))
    Rollup.add_to_class(
        f"covered_{_dim}_total",
        models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True),
    )
