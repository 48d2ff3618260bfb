"""Views: completeness."""

urlpatterns: list = []
