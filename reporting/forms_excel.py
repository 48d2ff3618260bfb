"""Forms of the Excel round-trip: choose an office and period; upload a filled template."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from offices.models import Office
from offices.permissions import offices_for_entry
from reporting.models import ReportingPeriod

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


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
        self.fields["period"].queryset = ReportingPeriod.objects.filter(
            strategy__is_current=True
        ).order_by("-start_date")
        self.fields["period"].label_from_instance = lambda p: (
            f"{p.code} ({p.get_state_display().lower()})"
        )
        # The list offers the user's offices; any office id is accepted and checked later.
        self.fields["office"].queryset = Office.objects.all()
        self.office_choices = offices_for_entry(user).order_by("name")
        self.fields["office"].choices = [(o.pk, str(o)) for o in self.office_choices]
        for name in ("office", "period"):
            self.fields[name].widget.attrs["class"] = "form-select"


class ExcelUploadForm(ExcelChooseForm):
    file = forms.FileField(
        label=_("Filled template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "upload_%s")  # the page also shows the download form
        super().__init__(*args, **kwargs)
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
