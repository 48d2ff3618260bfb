"""The OpenAPI schema: valid, without warnings, and documenting every operation's errors."""

import pytest
from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path):
    # spectacular --validate --fail-on-warn exits non-zero on any warning or invalid schema
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.stat().st_size > 0


def test_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.fixture(scope="module")
def schema_doc(django_db_blocker) -> dict:
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


OWN = (
    "strategies",
    "outcomes",
    "deliverables",
    "outputs",
    "markers",
    "sdg-targets",
    "indicators",
    "regions",
    "offices",
    "periods",
    "assignments",
    "updates",
    "rollups",
)


def test_schema_documents_error_codes_of_every_operation(schema_doc):
    for path, operations in schema_doc["paths"].items():
        resource = path.removeprefix("/api/v1/").split("/")[0]
        if resource not in OWN:
            continue
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{id}" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert "400" in codes, (method, path)
            if method == "get" and "{id}" not in path:
                assert {"400", "404"} <= codes, (method, path)


def test_schema_update_actions_document_409(schema_doc):
    for action in ("submit", "approve", "return", "reopen"):
        operation = schema_doc["paths"][f"/api/v1/updates/{{id}}/{action}/"]["post"]
        assert "409" in operation["responses"]
    patch = schema_doc["paths"]["/api/v1/updates/{id}/"]["patch"]
    assert "409" in patch["responses"]
    ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema_doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert "version" in component["required"]
