"""The membership update pages: under /reporting/, in the `reporting` URL namespace
(strategy_tracker/urls.py)."""

from django.urls import path

from exports.views import (
    export_create,
    export_download,
    export_job,
    export_job_status,
    export_retry,
    exports,
)

urlpatterns = [
    path("exports/", exports, name="exports"),
    path("exports/new/", export_create, name="export_create"),
    path("exports/<int:pk>/", export_job, name="export_job"),
    path("exports/<int:pk>/status/", export_job_status, name="export_job_status"),
    path("exports/<int:pk>/retry/", export_retry, name="export_retry"),
    path("exports/<int:pk>/download/", export_download, name="export_download"),
]
