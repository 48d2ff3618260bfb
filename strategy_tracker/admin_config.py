"""django.contrib.admin with the project's admin site (strategy_tracker.admin_site) as the
default, so every app's `@admin.register` goes through its policy. No models imported here:
INSTALLED_APPS loads this module before the app registry is ready."""

from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    default_site = "strategy_tracker.admin_site.TrackerAdminSite"
