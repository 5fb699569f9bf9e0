"""The Reconciliation Service API 0.2: every answer validates against the group's own
schemas (a copy in tests/fixtures/reconciliation-api-0.2, with its origin), the
requests OpenRefine 3.x sends are answered as it expects, and matching is certain only
where it should be."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from kg.config import Settings
from search_api.app import create_app
from tests.conftest import FIXTURES

SPEC = FIXTURES / "reconciliation-api-0.2"
REPLAY = json.loads((SPEC / "openrefine-3.x-requests.json").read_text())["requests"]


def _schemas() -> tuple[dict[str, dict], Registry]:
    schemas = {p.name: json.loads(p.read_text()) for p in (SPEC / "schemas").glob("*.json")}
    swagger = json.loads((SPEC / "swagger-security-scheme.json").read_text())
    resources = [
        (s["$id"], Resource.from_contents(s, DRAFT7)) for s in (*schemas.values(), swagger)
    ]
    return schemas, Registry().with_resources(resources)


SCHEMAS, REGISTRY = _schemas()


def validator(name: str) -> Draft7Validator:
    return Draft7Validator(SCHEMAS[name], registry=REGISTRY)


def assert_valid(name: str, body: object) -> None:
    errors = sorted(validator(name).iter_errors(body), key=str)
    assert not errors, f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}"


@pytest.fixture(scope="module")
def client(release_root):
    """One app for the module: the catalog is read once, as a worker reads it once."""
    app = create_app(Settings.load(environ={}, release_dir=release_root))
    app.testing = True
    yield app.test_client()
    app.extensions["normgraph"].close()


def _examples(kind: str, verdict: str) -> list[Path]:
    return sorted((SPEC / "examples" / kind / verdict).glob("*.json"))


@pytest.mark.parametrize(
    "kind,schema",
    [
        ("manifest", "manifest.json"),
        ("reconciliation-result-batch", "reconciliation-result-batch.json"),
        ("reconciliation-query-batch", "reconciliation-query-batch.json"),
        ("data-extension-response", "data-extension-response.json"),
    ],
)
def test_the_schemas_tell_valid_from_invalid(kind, schema):
    """The validation the other tests rely on rejects the spec's invalid examples."""
    for path in _examples(kind, "valid"):
        assert_valid(schema, json.loads(path.read_text()))
    invalid = _examples(kind, "invalid")
    assert invalid
    for path in invalid:
        body = json.loads(path.read_text())
        assert list(validator(schema).iter_errors(body)), f"{path.name} should be invalid"


def _send(client, request: dict):
    form = {k: json.dumps(v) for k, v in request.get("form", {}).items()}
    if request["method"] == "POST":
        return client.post(request["path"], data=form, query_string=request.get("args"))
    return client.get(request["path"], query_string=request.get("args"))


def _body(response, callback: str | None) -> object:
    text = response.get_data(as_text=True)
    if callback is None:
        assert response.mimetype == "application/json"
        return json.loads(text)
    assert response.mimetype == "application/javascript"
    match = re.fullmatch(rf"/\*\*/{re.escape(callback)}\((.*)\);", text, re.S)
    assert match, text[:200]
    return json.loads(match[1])


@pytest.mark.parametrize("request_", REPLAY, ids=[r["name"] for r in REPLAY])
def test_openrefine_replay(client, request_):
    response = _send(client, request_)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if "html" in request_:
        assert response.mimetype == "text/html" and request_["html"] in response.get_data(
            as_text=True
        )
        return
    body = _body(response, request_.get("jsonp"))
    if "schema" in request_:
        assert_valid(request_["schema"], body)
    for key, want in request_.get("expect", {}).items():
        result = body[key]["result"]
        if "top" in want:
            assert result[0]["id"] == want["top"], (key, result[:2])
        if "type" in want:
            assert want["type"] in [t["id"] for t in result[0]["type"]]
        if "match" in want:
            assert any(c["match"] for c in result) == want["match"], (key, result[:2])
    if ids := request_.get("expect_ids"):
        listed = body.get("result", body.get("properties"))
        assert set(ids) <= {item["id"] for item in listed}
    for entity, columns in request_.get("expect_rows", {}).items():
        for column, cells in columns.items():
            got = body["rows"][entity][column]
            for cell in cells:
                assert any(cell.items() <= g.items() for g in got), (entity, column, got)


def test_manifest_names_the_services(client):
    manifest = client.get("/reconcile").json
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"].endswith("/id/")
    assert manifest["schemaSpace"].endswith("/def/")
    assert {t["name"] for t in manifest["defaultTypes"]} >= {
        "Instrument", "Provision", "Theme", "Rights-holder group", "Body", "Practice",
        "Country", "Network commitment",
    }  # fmt: skip
    view = manifest["view"]["url"].replace("{{id}}", "group/roma")
    assert client.get(view.removeprefix("http://localhost")).status_code == 200
    preview = manifest["preview"]["url"].replace("{{id}}", "group/roma")
    assert client.get(preview.removeprefix("http://localhost")).status_code == 200


def reconcile(client, **queries) -> dict:
    response = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_valid("reconciliation-result-batch.json", response.json)
    return response.json


@pytest.mark.parametrize(
    "text,expected",
    [
        ("CERD", "body/cerd"),
        ("A/RES/47/135", "instrument/unmd-1992"),
        ("GR 36", "instrument/cerd-gr-36"),
        ("GR36", "instrument/cerd-gr-36"),
        ("ETS No. 157", "instrument/fcnm-1995"),
        ("Roma", "group/roma"),
        ("minority languages", "theme/language-rights"),
        ("Pueblos indígenas", "group/indigenous-peoples"),
        ("ICCPR article 27", "instrument/iccpr/art/27"),
        ("article 4 (3) of the UN Minorities Declaration", "instrument/unmd-1992/art/4/para/3"),
    ],
)
def test_exact_names_symbols_and_citations_match(client, text, expected):
    top = reconcile(client, q0={"query": text})["q0"]["result"][0]
    assert top["id"] == expected and top["match"] is True and top["score"] == 100


def test_typos_and_partial_names_rank_without_matching(client):
    result = reconcile(client, q0={"query": "Durbin declaraton", "type": "Instrument"})
    top = result["q0"]["result"][0]
    assert top["id"] == "instrument/ddpa-declaration-2001" and top["match"] is False


def test_a_name_two_things_share_is_not_certain_until_the_type_decides(client):
    both = reconcile(client, q0={"query": "Human Rights Council"})["q0"]["result"]
    assert [c["id"] for c in both[:2] if c["score"] == 100] and not any(c["match"] for c in both)
    body = reconcile(client, q0={"query": "Human Rights Council", "type": "Body"})["q0"]["result"]
    assert body[0]["id"] == "body/hrc" and body[0]["match"] is True
    assert all(any(t["id"] == "Body" for t in c["type"]) for c in body)
    should = {"query": "Human Rights Council", "type": "Body", "type_strict": "should"}
    listed = reconcile(client, q0=should)["q0"]["result"]
    assert [(c["id"], c["match"]) for c in listed[:2]] == [
        ("body/hrc", True),
        ("instrument/ga-res-60-251", False),
    ]


def test_type_strict_and_limit(client):
    should = reconcile(client, q0={"query": "CERD", "type": "Theme", "type_strict": "should"})
    assert should["q0"]["result"][0]["id"] == "body/cerd"  # other types stay, after
    strict = reconcile(client, q0={"query": "CERD", "type": "Theme", "limit": 3})
    assert len(strict["q0"]["result"]) <= 3
    assert all(c["type"][0]["id"] == "Theme" for c in strict["q0"]["result"])


def test_a_contradicting_property_takes_the_match_away(client):
    right = {"query": "UNMD", "properties": [{"pid": "adopted", "v": 1992}]}
    wrong = {"query": "UNMD", "properties": [{"pid": "symbol", "v": "A/RES/61/295"}]}
    got = reconcile(client, right=right, wrong=wrong)
    assert got["right"]["result"][0]["match"] is True
    unmd = next(c for c in got["wrong"]["result"] if c["id"] == "instrument/unmd-1992")
    assert unmd["score"] < 100 and not any(c["match"] for c in got["wrong"]["result"])
    assert {"id": "symbol", "value": False} in unmd["features"]


def test_properties_alone_find_their_entity(client):
    got = reconcile(
        client, q0={"type": "Instrument", "properties": [{"pid": "symbol", "v": "CERD/C/GC/36"}]}
    )
    assert [c["id"] for c in got["q0"]["result"]] == ["instrument/cerd-gr-36"]


def test_json_body_and_single_query_mode(client):
    batch = {"q0": {"query": "Roma"}}
    for body in (batch, {"queries": batch}):
        response = client.post("/reconcile", json=body)
        assert response.json["q0"]["result"][0]["id"] == "group/roma"
    single = client.get("/reconcile", query_string={"query": "Roma"}).json
    assert single["result"][0]["id"] == "group/roma"


@pytest.mark.parametrize(
    "data,fragment",
    [
        ({"queries": "{not json"}, "'queries' is not valid JSON"),
        ({"queries": "[]"}, "non-empty JSON object"),
        ({"queries": '{"q0": {"query": "x", "type": "Person"}}'}, "unknown type 'Person'"),
        ({"queries": '{"q0": {"query": "x", "limit": 0}}'}, "'limit' must be"),
        ({"queries": '{"q0": {"query": "x", "type_strict": "some"}}'}, "'type_strict' must be"),
        ({"queries": '{"q0": {"query": " "}}'}, "non-empty 'query'"),
        ({"queries": '{"q0": {"query": "x", "properties": [{"pid": "P17", "v": 1}]}}'}, "P17"),
        ({"extend": '{"ids": ["group/roma"], "properties": [{"id": "height"}]}'}, "'height'"),
        ({"queries": '{"q0": {"query": "x"}}', "callback": "alert(1)"}, "'callback'"),
        ({"queries": '{"q0": {"query": "x"}}', "sort": "asc"}, "unknown parameter(s): sort"),
    ],
)
def test_bad_requests_get_a_400_that_names_the_problem(client, data, fragment):
    response = client.post("/reconcile", data=data)
    assert response.status_code == 400
    assert fragment in response.json["error"]["message"]


def test_extension_of_unknown_ids_and_units(client):
    body = client.post(
        "/reconcile",
        data={
            "extend": json.dumps(
                {"ids": ["group/roma", "nothing/here"], "properties": [{"id": "scheme"}]}
            )
        },
    ).json
    assert_valid("data-extension-response.json", body)
    assert body["rows"]["group/roma"]["scheme"][0]["id"] == "scheme/groups"
    assert body["rows"]["nothing/here"]["scheme"] == []


def test_suggest_services_and_preview_errors(client):
    for path in (
        "/reconcile/suggest/entity",
        "/reconcile/suggest/type",
        "/reconcile/suggest/property",
    ):
        assert client.get(path).status_code == 400
    themes = client.get(
        "/reconcile/suggest/entity", query_string={"prefix": "rac", "type": "Theme"}
    ).json
    assert_valid("suggest-entities-response.json", themes)
    assert themes["result"] and all(s["notable"][0]["id"] == "Theme" for s in themes["result"])
    first = client.get("/reconcile/suggest/entity", query_string={"prefix": "m", "limit": 3}).json
    more = client.get(
        "/reconcile/suggest/entity", query_string={"prefix": "m", "limit": 3, "cursor": 3}
    ).json
    assert not {s["id"] for s in first["result"]} & {s["id"] for s in more["result"]}
    assert client.get("/reconcile/preview", query_string={"id": "group/nobody"}).status_code == 404
    assert (
        client.get("/reconcile/propose_properties", query_string={"type": "Cat"}).status_code == 400
    )


def test_the_bench_set_is_large_sourced_and_current(client):
    """bench/reconcile.tsv: at least 150 names, every outside spelling with its URL, and
    every expected entity still in the graph (a renamed id would silently score a miss)."""
    from bench.reconcile import BENCH, read_bench

    cases = read_bench(BENCH)
    assert len(cases) >= 150
    assert {c.lang for c in cases} == {"en", "fr", "es", "ar", "ru", "zh"}
    assert all(c.source == "project" or c.source.startswith(("http://", "https://")) for c in cases)
    for entity in sorted({c.expected for c in cases}):
        preview = client.get("/reconcile/preview", query_string={"id": entity})
        assert preview.status_code == 200, entity
