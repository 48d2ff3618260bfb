"""The Django admin of deliverables, indicators, targets and assignments.

Indicators, targets and assignments are saved and deleted through deliverables.services, so the
admin follows the same rules as the API (and the roll-ups hear of every change); their forms
call the services' checks, so a broken rule comes back as a message on the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from modeltranslation.admin import TranslationAdmin

from deliverables import services
from deliverables.models import Assignment, Deliverable, Indicator, IndicatorTarget
from offices.permissions import can_manage_framework


@admin.register(Deliverable)
class DeliverableAdmin(TranslationAdmin):
    list_display = ["full_code", "title", "outcome"]
    list_filter = ["outcome__strategy", "outcome"]
    search_fields = ["code", "title"]
    list_select_related = ["outcome"]


class ServicesAdminMixin:
    """Changes only for those the services let change the framework (HQ, administrators)."""

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and can_manage_framework(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and can_manage_framework(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and can_manage_framework(request.user)


def _target(data: dict[str, Any]) -> services.TargetData:
    return {"year": data["year"], "office": data.get("office"), "value": data["value"]}


class IndicatorTargetFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        try:
            services.targets_validate(targets=self.targets())
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def _kept(self) -> list[forms.Form]:
        return [
            form
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data
            and not self._should_delete_form(form)
            and (form.instance.pk or form.has_changed())
        ]

    def targets(self) -> list[services.TargetData]:
        """Return the targets the indicator keeps once the formset is saved."""
        return [_target(form.cleaned_data) for form in self._kept()]

    def record_changes(self) -> None:
        """Note what changed, for the admin's change message (the service does the saving)."""
        self.new_objects = [form.instance for form in self._kept() if not form.instance.pk]
        self.changed_objects = [
            (form.instance, form.changed_data)
            for form in self._kept()
            if form.instance.pk and form.has_changed()
        ]
        self.deleted_objects = [
            form.instance
            for form in self.initial_forms
            if form.instance.pk and self._should_delete_form(form)
        ]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    formset = IndicatorTargetFormSet
    extra = 0
    autocomplete_fields = ["office"]


# The admin edits the wording in each language (name_en, name_fr, name_es...), not `name`.
_INDICATOR_OWN = [f for f in services.INDICATOR_FIELDS if f not in services.TRANSLATED_FIELDS]
_INDICATOR_DATA = {*_INDICATOR_OWN, *services.INDICATOR_TRANSLATIONS, *services.INDICATOR_LINKS}


class IndicatorAdminForm(forms.ModelForm):
    class Meta:
        model = Indicator
        # The strategy follows from the deliverable or output (deliverables.services).
        fields = [*_INDICATOR_OWN, *services.INDICATOR_TRANSLATIONS, *services.INDICATOR_LINKS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        data = {name: value for name, value in cleaned.items() if name in _INDICATOR_DATA}
        try:
            services.indicator_validate(
                indicator=self.instance if self.instance.pk else None, data=data
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


@admin.register(Indicator)
class IndicatorAdmin(ServicesAdminMixin, TranslationAdmin):
    form = IndicatorAdminForm
    list_display = ["code", "name", "measure", "cumulative", "direction", "deliverable", "output"]
    list_filter = ["strategy", "measure", "cumulative", "direction", "markers", "is_active"]
    search_fields = ["code", "name", "definition"]
    list_select_related = ["deliverable__outcome", "output"]
    filter_horizontal = ["markers", "priorities", "sdg_targets", "gcm_objectives"]
    readonly_fields = ["strategy"]
    inlines = [IndicatorTargetInline]

    def save_model(self, request, obj: Indicator, form, change: bool) -> None:
        """Leave the saving to save_related: one service call with the links and targets."""

    def save_related(self, request, form, formsets, change: bool) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k in _INDICATOR_DATA}
        for formset in formsets:
            if isinstance(formset, IndicatorTargetFormSet):
                formset.record_changes()
                data["targets"] = formset.targets()
            else:
                self.save_formset(request, form, formset, change=change)
        if change:
            saved = Indicator.objects.get(pk=form.instance.pk)
            indicator = services.indicator_update(user=request.user, indicator=saved, data=data)
        else:
            indicator = services.indicator_create(user=request.user, data=data)
        form.instance.pk = indicator.pk
        form.instance.refresh_from_db()
        form.instance._state.adding = False

    def delete_model(self, request, obj: Indicator) -> None:
        services.indicator_delete(user=request.user, indicator=obj)

    def delete_queryset(self, request, queryset) -> None:
        for indicator in queryset:
            services.indicator_delete(user=request.user, indicator=indicator)


class IndicatorTargetAdminForm(forms.ModelForm):
    class Meta:
        model = IndicatorTarget
        fields = ["indicator", "year", "office", "value"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        indicator = cleaned.get("indicator")
        if indicator is None and self.instance.indicator_id:
            indicator = self.instance.indicator
        if indicator is not None and {"year", "value"} <= set(cleaned):
            others = _other_targets(indicator, exclude=self.instance)
            try:
                services.targets_validate(targets=[*others, _target(cleaned)])
            except ValidationError as exc:
                self.add_error(None, exc.messages)
        return cleaned


def _other_targets(indicator: Indicator, *, exclude: IndicatorTarget) -> list[Any]:
    rows = IndicatorTarget.objects.filter(indicator=indicator).exclude(pk=exclude.pk)
    return [{"year": t.year, "office": t.office, "value": t.value} for t in rows]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ServicesAdminMixin, admin.ModelAdmin):
    form = IndicatorTargetAdminForm
    list_display = ["indicator", "year", "office", "value"]
    list_filter = ["year"]
    search_fields = ["indicator__code", "office__name"]
    list_select_related = ["indicator", "office"]
    autocomplete_fields = ["indicator", "office"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # A target stays with its indicator; another indicator's target is added there.
        return ["indicator"] if obj is not None else []

    def save_model(self, request, obj: IndicatorTarget, form, change: bool) -> None:
        original = IndicatorTarget(pk=obj.pk) if change else IndicatorTarget()
        others = _other_targets(obj.indicator, exclude=original)
        mine = {"year": obj.year, "office": obj.office, "value": obj.value}
        saved = services.indicator_targets_set(
            user=request.user, indicator=obj.indicator, targets=[*others, mine]
        )
        obj.pk = next(t.pk for t in saved if (t.year, t.office_id) == (obj.year, obj.office_id))

    def delete_model(self, request, obj: IndicatorTarget) -> None:
        others = _other_targets(obj.indicator, exclude=obj)
        services.indicator_targets_set(user=request.user, indicator=obj.indicator, targets=others)

    def delete_queryset(self, request, queryset) -> None:
        deleted: dict[int, set[int]] = {}
        for target in queryset:
            deleted.setdefault(target.indicator_id, set()).add(target.pk)
        for indicator in Indicator.objects.filter(pk__in=deleted):
            rows = IndicatorTarget.objects.filter(indicator=indicator).exclude(
                pk__in=deleted[indicator.pk]
            )
            kept = [{"year": t.year, "office": t.office, "value": t.value} for t in rows]
            services.indicator_targets_set(user=request.user, indicator=indicator, targets=kept)


@admin.register(Assignment)
class AssignmentAdmin(ServicesAdminMixin, admin.ModelAdmin):
    list_display = ["office", "indicator", "is_active"]
    list_filter = ["is_active", "office__region"]
    search_fields = ["office__name", "indicator__code", "indicator__name"]
    list_select_related = ["office", "indicator"]
    autocomplete_fields = ["indicator", "office"]

    def save_model(self, request, obj: Assignment, form, change: bool) -> None:
        if change:
            saved = Assignment.objects.get(pk=obj.pk)
            data = {name: form.cleaned_data[name] for name in ("indicator", "office", "is_active")}
            services.assignment_update(user=request.user, assignment=saved, data=data)
        else:
            created = services.assignment_create(
                user=request.user,
                indicator=obj.indicator,
                office=obj.office,
                is_active=obj.is_active,
            )
            obj.pk = created.pk

    def delete_model(self, request, obj: Assignment) -> None:
        services.assignment_delete(user=request.user, assignment=obj)

    def delete_queryset(self, request, queryset) -> None:
        for assignment in queryset:
            services.assignment_delete(user=request.user, assignment=assignment)
