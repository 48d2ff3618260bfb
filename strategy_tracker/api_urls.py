"""Every REST resource under /api/v1/; each app registers its viewsets in its own api.py."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import TokenObtainView
from deliverables.api import register as register_deliverables
from offices.api import register as register_offices
from outcomes.api import register as register_outcomes
from plans.api import register as register_plans
from reporting.api import register as register_reporting
from rollups.api import register as register_rollups

router = DefaultRouter()

register_outcomes(router)
register_deliverables(router)
register_offices(router)
register_reporting(router)
register_plans(router)
register_rollups(router)

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    *router.urls,
]
