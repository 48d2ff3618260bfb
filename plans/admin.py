from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    Action,
    ActionSnapshot,
    DeliveryPlanVersion,
    FinancialResource,
    HumanResource,
)


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "result_code", "office", "lead", "start_date", "due_date", "status"]
    list_filter = [
        "strategy",
        "status",
        "deliverable__outcome",
        "output",
        "office__region",
        "due_date",
    ]
    search_fields = ["title", "expected_results", "lead", "office__name", "progress_notes"]
    list_select_related = ["deliverable__outcome", "output", "office"]
    autocomplete_fields = ["office"]
    date_hierarchy = "due_date"

    @admin.display(description=_("code"))
    def result_code(self, obj: Action) -> str:
        return obj.result_code


class ActionSnapshotInline(admin.TabularInline):
    model = ActionSnapshot
    extra = 0
    can_delete = False
    fields = ["action_key", "title", "office", "start_date", "due_date", "status"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DeliveryPlanVersion)
class DeliveryPlanVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "strategy", "published_at", "published_by", "note"]
    list_filter = ["strategy"]
    search_fields = ["note"]
    list_select_related = ["strategy", "published_by"]
    readonly_fields = ["strategy", "number", "published_at", "published_by"]
    inlines = [ActionSnapshotInline]

    def has_add_permission(self, request) -> bool:
        # Versions are published from the delivery plan's page, which snapshots every action.
        return False


@admin.register(ActionSnapshot)
class ActionSnapshotAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "action_key", "office", "due_date", "status"]
    list_filter = ["version__strategy", "version", "status"]
    search_fields = ["title", "expected_results"]
    list_select_related = ["version", "office"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HumanResource)
class HumanResourceAdmin(admin.ModelAdmin):
    list_display = ["result_code", "year", "office", "fte_planned", "fte_actual"]
    list_filter = ["strategy", "year", "deliverable__outcome", "output", "office__region"]
    search_fields = ["office__name", "deliverable__title", "output__title", "notes"]
    list_select_related = ["deliverable__outcome", "output", "office"]
    autocomplete_fields = ["office"]

    @admin.display(description=_("code"))
    def result_code(self, obj: HumanResource) -> str:
        return obj.result_code


@admin.register(FinancialResource)
class FinancialResourceAdmin(admin.ModelAdmin):
    list_display = [
        "result_code",
        "year",
        "source",
        "office",
        "amount_planned",
        "amount_mobilized",
        "amount_spent",
    ]
    list_filter = [
        "strategy",
        "year",
        "source",
        "deliverable__outcome",
        "output",
        "office__region",
    ]
    search_fields = ["office__name", "deliverable__title", "output__title", "notes"]
    list_select_related = ["deliverable__outcome", "output", "office"]
    autocomplete_fields = ["office"]

    @admin.display(description=_("code"))
    def result_code(self, obj: FinancialResource) -> str:
        return obj.result_code
