"""Views: exports."""

urlpatterns: list = []
