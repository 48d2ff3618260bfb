from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("no-role/", views.no_role, name="no_role"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("audit/", views.audit_log, name="audit_log"),
]

# The provider's endpoints, under the names mozilla-django-oidc reverses (no namespace).
oidc_urlpatterns = [
    path("authenticate/", views.OidcAuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", views.OidcCallbackView.as_view(), name="oidc_authentication_callback"),
]
