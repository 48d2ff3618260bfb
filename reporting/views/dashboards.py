"""Views: dashboards."""

urlpatterns: list = []
