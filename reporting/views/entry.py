"""Views: entry."""

urlpatterns: list = []
