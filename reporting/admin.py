"""The admin of periods and updates: read-only (offices.permissions.ADMIN_READ_ONLY_MODELS).

An update's status, values and version change only through reporting.services.workflow (the
entry and review pages, the API), so its history, the period's rules and the roll-ups follow;
a period's state changes through the admin actions below, which call the same service as the
periods page.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reporting.exceptions import UpdateValidationError
from reporting.models import IndicatorUpdate, ReportingPeriod, UpdateEvidence
from reporting.services.periods import period_set_state

State = ReportingPeriod.State


def _set_state(modeladmin, request, queryset, state: str) -> None:
    for period in queryset:
        try:
            period_set_state(user=request.user, period=period, state=state)
        except PermissionDenied as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
            return
        except UpdateValidationError as exc:
            text = " ".join(m for msgs in exc.message_dict.values() for m in msgs)
            modeladmin.message_user(request, f"{period.code}: {text}", messages.ERROR)


@admin.action(description=_("Close the selected periods (no new submissions)"))
def periods_close(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, State.CLOSED)


@admin.action(description=_("Lock the selected periods (nothing changes)"))
def periods_lock(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, State.LOCKED)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["code", "start_date", "end_date", "deadline", "state"]
    list_filter = ["strategy", "year", "state"]
    search_fields = ["code"]
    actions = [periods_close, periods_lock]


class UpdateEvidenceInline(admin.TabularInline):
    model = UpdateEvidence
    extra = 0
    # The file is served by the permission-checked evidence view, never from /media/.
    fields = ["original_name", "size", "uploaded_by", "created_at"]
    readonly_fields = fields


@admin.register(IndicatorUpdate)
class IndicatorUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "office", "period", "status", "value", "version", "updated_at"]
    list_filter = ["status", "period", "office__region", "indicator__measure"]
    search_fields = ["indicator__code", "indicator__name", "office__name", "narrative"]
    list_select_related = ["indicator", "office", "period"]
    raw_id_fields = ["indicator", "office", "period", "submitted_by", "reviewed_by", "updated_by"]
    readonly_fields = ["version", "measure", "created_at", "updated_at"]
    inlines = [UpdateEvidenceInline]
