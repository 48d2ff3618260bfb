"""Forms of the reporting pages. They turn what was typed into the services' inputs and put
the services' errors beside the fields; the rules themselves live in the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorMarksMixin
from core.numbers import NumberRefused, number_input_text, number_parse
from deliverables.models import Deliverable, Indicator
from offices.models import Office
from offices.permissions import offices_for_entry
from outcomes.models import InstitutionalOutput
from outcomes.selectors import strategy_current
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.periods import periods_open_for_entry
from reporting.services.validation import UpdateValues

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Measure = Indicator.Measure


def _text_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal", **attrs})


class UpdateEntryForm(ErrorMarksMixin, forms.Form):
    """One indicator's row on the entry page; fields follow the indicator's measure.

    The `version` the person loaded travels with the row, so a save made meanwhile by someone
    else is detected instead of overwritten.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("What happened, and why any large change against the previous period."),
    )
    evidence = forms.FileField(
        label=_("Add an evidence file"),
        required=False,
        widget=forms.FileInput(attrs={"class": "form-control"}),
    )

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        update: IndicatorUpdate | None = None,
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        self.indicator = indicator
        self.update = update
        self.conflict: IndicatorUpdate | None = None
        self.dimension_errors: dict[str, list[str]] = {}
        kwargs.setdefault("initial", self._initial(indicator, update))
        super().__init__(*args, **kwargs)
        self._add_measure_fields()
        self._add_disaggregation_fields()
        allowed = ", ".join(e.upper() for e in settings.EVIDENCE_ALLOWED_EXTENSIONS)
        self.fields["evidence"].widget.attrs["accept"] = ",".join(
            f".{e}" for e in settings.EVIDENCE_ALLOWED_EXTENSIONS
        )
        self.fields["evidence"].help_text = _("%(types)s; up to %(size)s.") % {
            "types": allowed,
            "size": filesizeformat(settings.EVIDENCE_MAX_BYTES),
        }
        if disabled:
            # Shown greyed out; the services still refuse anything posted for this row.
            for name, form_field in self.fields.items():
                if name != "version":
                    form_field.widget.attrs["disabled"] = "disabled"

    @staticmethod
    def _initial(indicator: Indicator, update: IndicatorUpdate | None) -> dict[str, Any]:
        if update is None:
            return {"version": 0}
        initial: dict[str, Any] = {"version": update.version, "narrative": update.narrative}
        measure = indicator.measure
        if measure == Measure.PERCENTAGE:
            initial["numerator"] = number_input_text(update.numerator)
            initial["denominator"] = number_input_text(update.denominator)
        elif measure == Measure.QUALITATIVE:
            initial["text"] = update.text
        elif update.value is not None:
            initial["value"] = number_input_text(update.value)
        for dimension, parts in (update.disaggregations or {}).items():
            for category, amount in (parts or {}).items():
                initial[f"dis_{dimension}_{category}"] = str(amount)
        return initial

    def _add_measure_fields(self) -> None:
        indicator = self.indicator
        unit = f" ({indicator.unit})" if indicator.unit else ""
        if indicator.measure == Measure.NUMBER:
            self.fields["value"] = forms.CharField(
                label=_("Value") + unit, required=False, widget=_text_input()
            )
        elif indicator.measure == Measure.PERCENTAGE:
            self.fields["numerator"] = forms.CharField(
                label=_("Numerator"), required=False, widget=_text_input()
            )
            self.fields["denominator"] = forms.CharField(
                label=_("Denominator"), required=False, widget=_text_input()
            )
        elif indicator.measure == Measure.YES_NO:
            self.fields["value"] = forms.ChoiceField(
                label=_("Answer"),
                required=False,
                choices=[("1", _("Yes")), ("0", _("No"))],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        elif indicator.measure == Measure.ORDINAL:
            levels = [
                (str(number), f"{number} — {label}")
                for number, label in enumerate(indicator.ordinal_levels or [], start=1)
            ]
            self.fields["value"] = forms.ChoiceField(
                label=_("Level"),
                required=False,
                choices=[("", _("— choose a level —")), *levels],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        else:
            self.fields["text"] = forms.CharField(
                label=_("Progress described"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )

    def _add_disaggregation_fields(self) -> None:
        for dimension in self.indicator.disaggregations or []:
            for category, label in Indicator.DIMENSION_CATEGORIES.get(dimension, []):
                self.fields[f"dis_{dimension}_{category}"] = forms.CharField(
                    label=label,
                    required=False,
                    widget=forms.TextInput(
                        attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}
                    ),
                )

    @property
    def measure_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("value", "numerator", "denominator", "text") if n in self.fields]

    @property
    def dimension_groups(self) -> list[dict[str, Any]]:
        """Return each disaggregation dimension with its category fields and its own errors."""
        groups = []
        for dimension in self.indicator.disaggregations or []:
            categories = Indicator.DIMENSION_CATEGORIES.get(dimension, [])
            groups.append(
                {
                    "code": dimension,
                    "label": Indicator.Dimension(dimension).label,
                    "fields": [self[f"dis_{dimension}_{c}"] for c, _label in categories],
                    "errors": self.dimension_errors.get(dimension, []),
                }
            )
        return groups

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Read in the page's language; a refusal stays beside the field with what was typed.
        for name in ("value", "numerator", "denominator"):
            if name in self.fields and name in cleaned:
                try:
                    cleaned[name] = number_parse(cleaned[name])
                except NumberRefused as exc:
                    self.add_error(name, exc.message)
        return cleaned

    def has_input(self) -> bool:
        """Did the request carry anything typed for this row (beyond its version)?"""
        names = [n for n in self.fields if n != "version"]
        return any(self.data.get(self.add_prefix(n)) for n in names) or bool(
            self.files.get(self.add_prefix("evidence"))
        )

    def to_values(self) -> UpdateValues:
        """Return what was typed as the services' input (call after is_valid())."""
        data = self.cleaned_data
        disaggregations: dict[str, dict[str, Any]] = {}
        for dimension in self.indicator.disaggregations or []:
            parts = {}
            for category, _label in Indicator.DIMENSION_CATEGORIES.get(dimension, []):
                raw = (data.get(f"dis_{dimension}_{category}") or "").strip()
                if raw:
                    parts[category] = raw
            if parts:
                disaggregations[dimension] = parts
        return UpdateValues(
            value=data.get("value") if "value" in self.fields else None,
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            text=data.get("text", ""),
            disaggregations=disaggregations,
            narrative=data.get("narrative", ""),
        )

    def apply_errors(self, message_dict: dict[str, list[str]]) -> None:
        """Put the services' field errors beside the matching inputs."""
        for key, messages in message_dict.items():
            if key in self.fields:
                for message in messages:
                    self.add_error(key, message)
                continue
            parts = key.split(".")
            if parts[0] == "disaggregations" and len(parts) == 3:
                name = f"dis_{parts[1]}_{parts[2]}"
                if name in self.fields:
                    for message in messages:
                        self.add_error(name, message)
                    continue
            if parts[0] == "disaggregations" and len(parts) == 2:
                self.dimension_errors.setdefault(parts[1], []).extend(messages)
                continue
            for message in messages:
                self.add_error(None, message)

    def set_version(self, version: int) -> None:
        """Carry a newer version in the re-rendered row (after a save or a conflict)."""
        if self.is_bound:
            self.data[self.add_prefix("version")] = str(version)
        else:
            self.initial["version"] = version


class ReviewCommentForm(forms.Form):
    """Approve (comment optional), return (comment required) or reopen (reason required)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class ReviewFilterForm(forms.Form):
    """The review queue's filters, read from the query string so a view can be bookmarked."""

    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (IndicatorUpdate.Status.SUBMITTED, _("Waiting for review")),
            (IndicatorUpdate.Status.RETURNED, _("Returned")),
        ],
    )
    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=Office.objects.none(), empty_label=_("All")
    )
    period = forms.ModelChoiceField(
        label=_("Period"),
        required=False,
        queryset=ReportingPeriod.objects.order_by("-start_date"),
        empty_label=_("All"),
    )
    deliverable = forms.ModelChoiceField(
        label=_("Deliverable"),
        required=False,
        queryset=Deliverable.objects.select_related("outcome"),
        empty_label=_("All"),
    )
    output = forms.ModelChoiceField(
        label=_("Institutional output"),
        required=False,
        queryset=InstitutionalOutput.objects.all(),
        empty_label=_("All"),
    )

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        for form_field in self.fields.values():
            css = "form-select form-select-sm"
            form_field.widget.attrs.setdefault("class", css)


class PeriodStateForm(forms.Form):
    state = forms.ChoiceField(choices=ReportingPeriod.State.choices)
    reason = forms.CharField(
        label=_("Reason (required to reopen a locked period)"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


# --- Excel round-trip ------------------------------------------------------------------------


def excel_upload_max_bytes() -> int:
    """Return the largest upload accepted (setting EXCEL_UPLOAD_MAX_BYTES, 5 MB by default)."""
    return getattr(settings, "EXCEL_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)


class ExcelChooseForm(forms.Form):
    """Which office and period the template is for (any office: permission is checked after,
    so an office out of scope gives 403, not a form error)."""

    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    period = forms.ModelChoiceField(label=_("Reporting period"), queryset=None)

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = self._periods(user)
        self.fields["period"].label_from_instance = lambda p: (
            f"{p.code} ({p.get_state_display().lower()})"
        )
        # The list offers the user's offices; any office id is accepted and checked later.
        self.fields["office"].queryset = Office.objects.all()
        self.office_choices = offices_for_entry(user).order_by("name")
        self.fields["office"].choices = [(o.pk, str(o)) for o in self.office_choices]
        for name in ("office", "period"):
            self.fields[name].widget.attrs["class"] = "form-select"

    @staticmethod
    def _periods(user: AbstractBaseUser) -> QuerySet[ReportingPeriod]:
        """A template is offered for the periods the user's offices may still report on."""
        return periods_open_for_entry(offices=offices_for_entry(user), strategy=strategy_current())


class ExcelUploadForm(ExcelChooseForm):
    file = forms.FileField(
        label=_("Filled template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    @staticmethod
    def _periods(user: AbstractBaseUser) -> QuerySet[ReportingPeriod]:
        # Any period of the strategy: the upload's check says why one no longer takes entries.
        return ReportingPeriod.objects.filter(strategy=strategy_current()).order_by("-start_date")

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        kwargs.setdefault("auto_id", "upload_%s")  # the page also shows the download form
        super().__init__(*args, user=user, **kwargs)
        # The list offers only the periods open for entry; a file for another period is still
        # read, so the upload's check can say why that period no longer takes entries.
        label = self.fields["period"].label_from_instance
        self.fields["period"].choices = [(p.pk, label(p)) for p in ExcelChooseForm._periods(user)]
        self.fields["file"].help_text = _("An .xlsx file of at most %(size)s.") % {
            "size": filesizeformat(excel_upload_max_bytes())
        }
        self.fields["file"].widget.attrs["class"] = "form-control"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Upload an Excel file ending in .xlsx (the template downloaded from this page).")
            )
        if upload.size > excel_upload_max_bytes():
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(max)s is accepted.")
                % {
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(excel_upload_max_bytes()),
                }
            )
        return upload
