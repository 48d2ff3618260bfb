from django.contrib import admin

from rollups.models import Rollup


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
