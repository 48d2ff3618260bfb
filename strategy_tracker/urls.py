from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import views as account_views
from accounts.urls import oidc_urlpatterns
from dashboards.urls import urlpatterns as dashboard_pages
from exports.urls import urlpatterns as export_pages
from offices import views as office_views
from reporting.urls import urlpatterns as reporting_pages
from strategy_tracker import health

# Pages under /reporting/ come from three apps and share one URL namespace, `reporting`, so
# links and bookmarks stay as they were: entry, review, periods, completeness and Excel
# (reporting), the dashboards (dashboards) and the membership updates (exports).
reporting_area = ([*reporting_pages, *dashboard_pages, *export_pages], "reporting")

urlpatterns = [
    path("", office_views.home, name="home"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.sign_out, name="logout"),
    path("accounts/", include("accounts.urls")),
    path("oidc/", include(oidc_urlpatterns)),
    path("admin/", admin.site.urls),
    path("reporting/", include(reporting_area)),
    path("plans/", include("plans.urls")),
    path("api/v1/", include("strategy_tracker.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
