"""The API token scheme in the OpenAPI schema (drf-spectacular)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "apiClientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A machine client's token, issued by HQ (read-only, or write for one office), "
                "with an expiry: `Authorization: Bearer stk_…`."
            ),
        }
