"""Views of the reporting app, one module per area; each module exposes its `urlpatterns`."""
