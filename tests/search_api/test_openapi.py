"""The OpenAPI description is valid, and a property-based run over it finds no 5xx."""

import pytest
import schemathesis
from openapi_spec_validator import validate


def test_openapi_is_valid_3_1(client):
    spec = client.get("/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_the_search_parameters_described_are_those_accepted(client):
    """/openapi.json lists exactly what /api/search accepts (search_api.search.parameters)."""
    from search_api.search.parameters import SEARCH_PARAMS

    described = client.get("/openapi.json").json["paths"]["/api/search"]["get"]["parameters"]
    assert {p["name"] for p in described} == SEARCH_PARAMS


@pytest.fixture
def schema(make_app, search_root):
    app = make_app(search_root)
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def test_no_input_produces_a_server_error(schema):
    from hypothesis import HealthCheck, given, settings

    failures = []
    for operation in schema.get_all_operations():
        op = operation.ok()

        @settings(
            max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=op.as_strategy())
        def check(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    (case.method, case.formatted_path, response.status_code, response.text[:200])
                )

        check()
    assert not failures, failures
