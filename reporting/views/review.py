"""Views: review."""

urlpatterns: list = []
