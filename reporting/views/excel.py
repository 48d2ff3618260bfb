"""Views: excel."""

urlpatterns: list = []
