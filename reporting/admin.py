from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import IndicatorUpdate, Job, ReportingPeriod, Rollup, UpdateEvidence


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["code", "start_date", "end_date", "deadline", "state"]
    list_filter = ["strategy", "year", "state"]
    search_fields = ["code"]


class UpdateEvidenceInline(admin.TabularInline):
    model = UpdateEvidence
    extra = 0
    readonly_fields = ["size", "uploaded_by", "created_at"]


@admin.register(IndicatorUpdate)
class IndicatorUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "office", "period", "status", "value", "version", "updated_at"]
    list_filter = ["status", "period", "office__region", "indicator__measure"]
    search_fields = ["indicator__code", "indicator__name", "office__name", "narrative"]
    list_select_related = ["indicator", "office", "period"]
    raw_id_fields = ["indicator", "office", "period", "submitted_by", "reviewed_by", "updated_by"]
    readonly_fields = ["version", "measure", "created_at", "updated_at"]
    inlines = [UpdateEvidenceInline]


@admin.register(Rollup)
class RollupAdmin(admin.ModelAdmin):
    list_display = [
        "indicator", "scope", "region", "office", "period", "span",
        "actual", "target", "progress", "status", "updates_count", "computed_at",
    ]  # fmt: skip
    list_filter = ["scope", "span", "status", "period", "region"]
    search_fields = ["indicator__code", "office__name"]
    list_select_related = ["indicator", "region", "office", "period"]
    raw_id_fields = ["indicator", "region", "office", "period"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "progress", "created_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["created_at", "updated_at", "started_at", "finished_at"]
