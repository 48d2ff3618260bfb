"""The form that asks for a membership update: a range (or a preset) and a format."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exports.selectors import export_range_presets
from exports.services import ExportError
from exports.services.jobs import FORMATS
from exports.services.membership import export_periods_resolve
from outcomes.models import Strategy


class ExportForm(forms.Form):
    preset = forms.ChoiceField(
        label=_("Range"),
        required=False,
        help_text=_("A preset range, or “Custom” to use the periods below."),
    )
    period_from = forms.ChoiceField(label=_("From period"), required=False)
    period_to = forms.ChoiceField(label=_("To period"), required=False)
    format = forms.ChoiceField(label=_("Format"))
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language the membership update is written in."),
    )

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.presets = {p.key: p for p in export_range_presets(strategy=strategy)}
        codes = [(code, code) for code in strategy.periods.values_list("code", flat=True)]
        self.fields["preset"].choices = [
            *((p.key, p.label) for p in self.presets.values()),
            ("", _("Custom range")),
        ]
        self.fields["period_from"].choices = codes
        self.fields["period_to"].choices = codes
        self.fields["format"].choices = [(f.code, f.label) for f in FORMATS.values()]
        # The page's language is the first guess.
        self.initial.setdefault("language", (get_language() or "en").split("-")[0])
        if self.presets:
            self.initial.setdefault("preset", next(iter(self.presets)))
        if codes and not self.is_bound:
            self.initial.setdefault("period_from", codes[0][0])
            self.initial.setdefault("period_to", codes[-1][0])
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict:
        data = super().clean()
        data["language"] = data.get("language") or (get_language() or "en").split("-")[0]
        preset = self.presets.get(data.get("preset") or "")
        if preset is not None:
            data["period_from"], data["period_to"] = preset.period_from, preset.period_to
        if not data.get("period_from") or not data.get("period_to"):
            raise forms.ValidationError(_("Choose a preset range or both periods."))
        try:
            export_periods_resolve(
                strategy=self.strategy,
                period_from=data["period_from"],
                period_to=data["period_to"],
            )
        except ExportError as error:
            raise forms.ValidationError(error.message) from error
        return data
