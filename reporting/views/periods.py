"""Views: periods."""

urlpatterns: list = []
