"""Forms of the plan pages. They only collect input: the services validate and save it, and
their field errors are put back on the form (`form_add_service_errors`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from deliverables.models import Deliverable
from offices.models import Office
from offices.permissions import offices_for_plan_edit
from outcomes.models import InstitutionalOutput, Strategy
from plans.models import (
    Action,
    FinancialResource,
    HumanResource,
    ResourceAllocation,
    ResultLinkMixin,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Service errors about the deliverable or output belong to the form's single "result" field.
RESULT_FIELD_MAP = {"deliverable": "result", "output": "result"}


class BootstrapFormMixin:
    """Give widgets Bootstrap classes, and mark fields with errors as invalid."""

    def _style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        names = error.error_dict.keys() if hasattr(error, "error_dict") else [field]
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def form_add_service_errors(
    form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form, on the matching fields where possible."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        target = field_map.get(name, name)
        if target == NON_FIELD_ERRORS or target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)


def _result_choices(strategy: Strategy) -> list:
    deliverables = Deliverable.objects.filter(outcome__strategy=strategy).select_related("outcome")
    outputs = InstitutionalOutput.objects.filter(strategy=strategy)
    return [
        ("", _("Choose…")),
        (
            _("Deliverables"),
            [(f"d:{d.pk}", f"{d.full_code} {d.short_title or d.title}") for d in deliverables],
        ),
        (
            _("Institutional outputs"),
            [(f"o:{o.pk}", f"O.{o.code} {o.short_title or o.title}") for o in outputs],
        ),
    ]


def result_initial(row: ResultLinkMixin) -> str:
    if row.deliverable is not None:
        return f"d:{row.deliverable.pk}"
    if row.output is not None:
        return f"o:{row.output.pk}"
    return ""


class PlanRowForm(BootstrapFormMixin, forms.Form):
    """A form for a row linked to one deliverable or institutional output of a strategy."""

    result = forms.ChoiceField(label=_("Deliverable or institutional output"))

    def __init__(
        self,
        *args,
        strategy: Strategy,
        user: AbstractBaseUser,
        current_office: Office | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["result"].choices = _result_choices(strategy)
        if "office" in self.fields:
            offices = offices_for_plan_edit(user).filter(is_active=True)
            if current_office is not None:
                offices = offices | Office.objects.filter(pk=current_office.pk)
            self.fields["office"].queryset = offices.select_related("region").order_by("name")
        self._style_widgets()

    def result_kwargs(self) -> dict[str, Any]:
        """Return deliverable= and output= for the service, from the chosen result."""
        kind, _sep, pk = self.cleaned_data["result"].partition(":")
        deliverable = output = None
        if kind == "d":
            deliverable = Deliverable.objects.filter(outcome__strategy=self.strategy, pk=pk).first()
        elif kind == "o":
            output = InstitutionalOutput.objects.filter(strategy=self.strategy, pk=pk).first()
        return {"deliverable": deliverable, "output": output}

    @classmethod
    def initial_for(cls, row: ResultLinkMixin) -> dict[str, Any]:
        """Return the form's initial data for editing `row` (a model field per form field)."""
        names = [name for name in cls.base_fields if name != "result"]
        return {"result": result_initial(row), **{n: row.serializable_value(n) for n in names}}

    def service_kwargs(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "result"}
        return {**data, **self.result_kwargs()}


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(PlanRowForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    expected_results = forms.CharField(
        label=_("Expected results"), widget=forms.Textarea(attrs={"rows": 3})
    )
    office = forms.ModelChoiceField(queryset=Office.objects.none(), label=_("Responsible office"))
    lead = forms.CharField(
        label=_("Lead"),
        max_length=200,
        required=False,
        help_text=_("The person who leads the action."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    due_date = forms.DateField(
        label=_("Due date"), widget=DATE_WIDGET, help_text=_("On or after the start date.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    progress_notes = forms.CharField(
        label=_("Progress notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["result", "title", "expected_results", "office", "lead"]


AMOUNT_ATTRS = {"min": "0", "step": "0.01", "inputmode": "decimal"}


def _quantity_field(label: str, *, max_digits: int, **kwargs: Any) -> forms.DecimalField:
    """Return a field for an amount or FTE, two decimals, typed on a number keyboard."""
    return forms.DecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=2,
        widget=forms.NumberInput(attrs=AMOUNT_ATTRS),
        **kwargs,
    )


class ResourceAllocationForm(PlanRowForm):
    """An allocation of the resource plan; each kind adds its own fields and `model`."""

    model: type[ResourceAllocation]
    kind = ""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    office = forms.ModelChoiceField(queryset=Office.objects.none(), label=_("Office"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in self.strategy.years]
        # Notes come last, after the kind's own fields.
        self.fields["notes"] = self.fields.pop("notes")


class HumanResourceForm(ResourceAllocationForm):
    model = HumanResource
    kind = "human"

    fte_planned = _quantity_field(
        _("FTE planned"),
        max_digits=8,
        help_text=_("Full-time equivalents; 0.5 is half of one person's time."),
    )
    fte_actual = _quantity_field(_("FTE actual"), max_digits=8, initial=0)


class FinancialResourceForm(ResourceAllocationForm):
    model = FinancialResource
    kind = "financial"

    source = forms.ChoiceField(label=_("Funding source"), choices=FinancialResource.Source.choices)
    office = forms.ModelChoiceField(
        queryset=Office.objects.none(),
        label=_("Office"),
        required=False,
        empty_label=_("Global (no office)"),
        help_text=_(
            "The office the money is allocated to; it counts in its region's totals. "
            "Only HQ results managers may leave it empty."
        ),
    )
    amount_planned = _quantity_field(_("Planned (USD)"), max_digits=16)
    amount_mobilized = _quantity_field(_("Mobilized (USD)"), max_digits=16, initial=0)
    amount_spent = _quantity_field(_("Spent (USD)"), max_digits=16, initial=0)

    field_order = ["result", "year", "source"]


class PublishForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What changed in this version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
