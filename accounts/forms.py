"""Forms of the sign-in and accounts pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken
from accounts.oidc import local_login_enabled
from audit.models import AuditEvent
from offices.models import Office


class LocalLoginForm(AuthenticationForm):
    """The password form; says so when passwords are turned off instead of "wrong password"."""

    def get_invalid_login_error(self) -> forms.ValidationError:
        if not local_login_enabled():
            return forms.ValidationError(
                _(
                    "Password sign-in is turned off: sign in with your organisation's account. "
                    "Only the break-glass administrator account may use a password."
                ),
                code="local_login_off",
            )
        return super().get_invalid_login_error()


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Client name"),
        max_length=100,
        help_text=_("The system that will use the token, e.g. “Data warehouse nightly load”."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    office = forms.ModelChoiceField(
        label=_("Office (write tokens)"),
        queryset=Office.objects.filter(is_active=True),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires in (days)"),
        min_value=1,
        initial=90,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read at run time: API_TOKEN_MAX_DAYS comes from the environment.
        field = self.fields["expires_in_days"]
        field.validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))
        field.widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("scope") == ApiToken.Scope.WRITE and not data.get("office"):
            self.add_error("office", _("A write token writes for one office: choose it."))
        if data.get("scope") == ApiToken.Scope.READ:
            data["office"] = None
        return data

    @property
    def expires_at(self) -> dt.datetime:
        return timezone.now() + dt.timedelta(days=self.cleaned_data["expires_in_days"])


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All")), *AuditEvent.Action.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    who = forms.CharField(
        label=_("Person or target"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
