from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    Action,
    ActionSnapshot,
    DeliveryPlanVersion,
    FinancialResource,
    HumanResource,
    ResultLinkMixin,
)


class ResultCodeColumn:
    """A "code" column: the row's deliverable ("A.i") or institutional output ("O.b")."""

    @admin.display(description=_("code"))
    def result_code(self, obj: ResultLinkMixin) -> str:
        return obj.result_code


@admin.register(Action)
class ActionAdmin(ResultCodeColumn, SimpleHistoryAdmin):
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


class ResourceAllocationAdmin(ResultCodeColumn, admin.ModelAdmin):
    """An allocation kind's admin; each kind lists its own columns and filters."""

    search_fields = ["office__name", "deliverable__title", "output__title", "notes"]
    list_select_related = ["deliverable__outcome", "output", "office"]
    autocomplete_fields = ["office"]

    def get_fields(self, request, obj=None) -> list[str]:
        # Notes last, after the kind's own fields (as on the plan pages).
        fields = [name for name in super().get_fields(request, obj) if name != "notes"]
        return [*fields, "notes"]


@admin.register(HumanResource)
class HumanResourceAdmin(ResourceAllocationAdmin):
    list_display = ["result_code", "year", "office", "fte_planned", "fte_actual"]
    list_filter = ["strategy", "year", "deliverable__outcome", "output", "office__region"]


@admin.register(FinancialResource)
class FinancialResourceAdmin(ResourceAllocationAdmin):
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
