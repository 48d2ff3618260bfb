from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from accounts import views as account_views
from accounts.urls import oidc_urlpatterns
from dashboards.home import home
from dashboards.urls import urlpatterns as dashboard_pages
from exports.urls import urlpatterns as export_pages
from reporting.urls import urlpatterns as reporting_pages
from strategy_tracker import health

# Pages under /reporting/ come from three apps and share one URL namespace, `reporting`, so
# links and bookmarks stay as they were: entry, review, periods, completeness and Excel
# (reporting), the dashboards (dashboards) and the membership updates (exports).
reporting_area = ([*reporting_pages, *dashboard_pages, *export_pages], "reporting")

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.sign_out, name="logout"),
    path("accounts/", include("accounts.urls")),
    path("oidc/", include(oidc_urlpatterns)),
    path("admin/", admin.site.urls),
    # The language menu posts to Django's set_language view (/i18n/setlang/).
    path("i18n/", include("django.conf.urls.i18n")),
    path("reporting/", include(reporting_area)),
    path("plans/", include("plans.urls")),
    path("api/v1/", include("strategy_tracker.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start-up script as a separate request (no inline script), from
    # drf-spectacular-sidecar's static files. (No ReDoc: it fetches its logo from a CDN.)
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
# MEDIA_ROOT (evidence files, exports, uploads waiting for confirmation) is never served as
# such, in any settings mode: each file goes out through its permission-checked view
# (reporting:evidence_download, the export job's download).
