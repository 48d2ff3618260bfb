"""The reporting app's pages (under /reporting/, namespace `reporting`: see
strategy_tracker/urls.py); each area's routes live beside its views."""

from reporting.views import completeness, entry, excel, periods, review, update

urlpatterns = [
    *entry.urlpatterns,
    *update.urlpatterns,
    *review.urlpatterns,
    *periods.urlpatterns,
    *completeness.urlpatterns,
    *excel.urlpatterns,
]
