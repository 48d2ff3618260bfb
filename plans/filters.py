"""Filters for the delivery plan and the resource plan, shared by the pages and the API."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliverables.models import Deliverable
from offices.models import Office, Region
from outcomes.models import InstitutionalOutput, Outcome, Strategy
from plans.models import Action, FinancialResource, HumanResource
from plans.selectors import action_overdue_q


class StrategyScopedFilterSet(django_filters.FilterSet):
    """A filter set whose choices (outcomes, deliverables, outputs, years) follow one strategy."""

    def __init__(self, *args, strategy: Strategy | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        if strategy is None:
            return
        if "outcome" in self.filters:
            self.filters["outcome"].queryset = Outcome.objects.filter(strategy=strategy)
        if "deliverable" in self.filters:
            self.filters["deliverable"].queryset = Deliverable.objects.filter(
                outcome__strategy=strategy
            ).select_related("outcome")
        if "output" in self.filters:
            self.filters["output"].queryset = InstitutionalOutput.objects.filter(strategy=strategy)
        if "year" in self.filters:
            self.filters["year"].extra["widget"] = forms.Select(
                choices=[("", _("Any year")), *[(y, y) for y in strategy.years]]
            )

    @property
    def form(self) -> forms.Form:
        """Return the filter form, its widgets styled for Bootstrap (once)."""
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                widget = field.widget
                if isinstance(widget, forms.CheckboxSelectMultiple):
                    continue
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs["class"] = f"{css} {css}-sm"
            form._styled = True
        return form


class ActionFilter(StrategyScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Action.Status.choices,
        label=_("Status"),
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = django_filters.ModelChoiceFilter(
        field_name="deliverable__outcome", queryset=Outcome.objects.all(), label=_("Outcome")
    )
    deliverable = django_filters.ModelChoiceFilter(
        queryset=Deliverable.objects.select_related("outcome"), label=_("Deliverable")
    )
    output = django_filters.ModelChoiceFilter(
        queryset=InstitutionalOutput.objects.all(), label=_("Institutional output")
    )
    office = django_filters.ModelChoiceFilter(
        queryset=Office.objects.filter(is_active=True), label=_("Responsible office")
    )
    region = django_filters.ModelChoiceFilter(
        field_name="office__region", queryset=Region.objects.all(), label=_("Region")
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue"),
        help_text=_("Open actions (planned, in progress or delayed) past their due date."),
    )
    due_after = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label=_("Due on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label=_("Due on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(self, *args, today: dt.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def filter_overdue(self, queryset: QuerySet[Action], name: str, value: bool | None):
        overdue = action_overdue_q(today=self.today)
        if value is None:
            return queryset
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_q(self, queryset: QuerySet[Action], name: str, value: str):
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(expected_results__icontains=value)
            | Q(lead__icontains=value)
        )


class ActionApiFilter(ActionFilter):
    strategy = django_filters.ModelChoiceFilter(
        queryset=Strategy.objects.all(), label=_("Strategy")
    )


class ResourceFilter(StrategyScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    outcome = django_filters.ModelChoiceFilter(
        field_name="deliverable__outcome", queryset=Outcome.objects.all(), label=_("Outcome")
    )
    deliverable = django_filters.ModelChoiceFilter(
        queryset=Deliverable.objects.select_related("outcome"), label=_("Deliverable")
    )
    output = django_filters.ModelChoiceFilter(
        queryset=InstitutionalOutput.objects.all(), label=_("Institutional output")
    )
    region = django_filters.ModelChoiceFilter(
        field_name="office__region", queryset=Region.objects.all(), label=_("Region")
    )
    office = django_filters.ModelChoiceFilter(queryset=Office.objects.all(), label=_("Office"))
    strategy = django_filters.ModelChoiceFilter(
        queryset=Strategy.objects.all(), label=_("Strategy")
    )


class HumanResourceFilter(ResourceFilter):
    class Meta:
        model = HumanResource
        fields: list[str] = []


class FinancialResourceFilter(ResourceFilter):
    source = django_filters.ChoiceFilter(
        choices=FinancialResource.Source.choices, label=_("Funding source")
    )

    class Meta:
        model = FinancialResource
        fields: list[str] = []


class ResourcePlanFilter(FinancialResourceFilter):
    """The resource plan page's filters: the financial ones; human resources ignore the source."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("strategy", "deliverable", "output", "office"):
            self.filters.pop(name, None)
