from django.urls import path

from plans import views
from plans.forms import FinancialResourceForm, HumanResourceForm

app_name = "plans"

urlpatterns = [
    path("actions/", views.action_list, name="actions"),
    path("actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("versions/", views.version_list, name="versions"),
    path("versions/publish/", views.version_publish, name="version_publish"),
    path("versions/compare/", views.version_compare, name="version_compare"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("resources/", views.resource_plan, name="resources"),
    path(
        "resources/human/new/",
        views.allocation_create,
        {"form_class": HumanResourceForm},
        name="human_resource_create",
    ),
    path(
        "resources/human/<int:pk>/edit/",
        views.allocation_edit,
        {"form_class": HumanResourceForm},
        name="human_resource_edit",
    ),
    path(
        "resources/financial/new/",
        views.allocation_create,
        {"form_class": FinancialResourceForm},
        name="financial_resource_create",
    ),
    path(
        "resources/financial/<int:pk>/edit/",
        views.allocation_edit,
        {"form_class": FinancialResourceForm},
        name="financial_resource_edit",
    ),
]
