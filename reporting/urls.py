"""The reporting app's pages; each area's routes live beside its views."""

from reporting.views import completeness, dashboards, entry, excel, exports, periods, review

app_name = "reporting"

urlpatterns = [
    *entry.urlpatterns,
    *review.urlpatterns,
    *periods.urlpatterns,
    *completeness.urlpatterns,
    *excel.urlpatterns,
    *dashboards.urlpatterns,
    *exports.urlpatterns,
]
