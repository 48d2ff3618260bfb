from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import IndicatorUpdate, ReportingPeriod, UpdateEvidence


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
