"""The control API's OpenAPI description (GET /__mock__/openapi.json) stays true:
every route in it with exactly its methods and path parameters, the document
valid OpenAPI, its examples valid, and what the routes answer as it says.
`make fuzz` goes further (schemathesis against a live mock)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.routing import IntegerConverter
from werkzeug.test import Client

from mock_server.control.api_description import build
from mock_server.federation import MONCOMPTE_CLIENT_ID
from mock_server.messages import send_code
from mock_server.sites import CONTROL_PREFIX, SiteDispatcher

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Flask adds these to every route by itself.
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}
BASE_URI = "urn:control-api"
_FLASK_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@pytest.fixture(scope="module")
def description() -> dict[str, Any]:
    return build()


def operations(description: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in description["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def parameters(description: dict[str, Any], path: str, method: str) -> list[dict[str, Any]]:
    item = description["paths"][path]
    return [*item.get("parameters", []), *item[method].get("parameters", [])]


def pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def validator(description: dict[str, Any], at: str) -> Draft202012Validator:
    """A validator for the schema at JSON pointer `at`, its $refs resolved in the description."""
    registry = Registry().with_resource(BASE_URI, Resource.from_contents(description, default_specification=DRAFT202012))
    return Draft202012Validator({"$ref": f"{BASE_URI}#{at}"}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def resolved(description: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        for part in node["$ref"].removeprefix("#/").split("/"):
            description = description[part.replace("~1", "/").replace("~0", "~")]
        node = description
    return node


def flask_routes(app: SiteDispatcher) -> dict[str, dict[str, Any]]:
    """Control routes as OpenAPI paths: {path: {"methods": {...}, "converters": {argument: converter}}}."""
    routes: dict[str, dict[str, Any]] = defaultdict(lambda: {"methods": set(), "converters": {}})
    for rule in app.root.url_map.iter_rules():
        if rule.rule == CONTROL_PREFIX or rule.rule.startswith(CONTROL_PREFIX + "/"):
            route = routes[_FLASK_ARGUMENT.sub(r"{\1}", rule.rule)]
            route["methods"] |= rule.methods - IMPLICIT_METHODS
            route["converters"].update(rule._converters)
    return routes


def test_every_control_route_is_described_with_exactly_its_methods(mock_app, description):
    routes = flask_routes(mock_app)
    described = {path: {method.upper() for method in item if method in METHODS}
                 for path, item in description["paths"].items()}
    assert described == {path: route["methods"] for path, route in routes.items()}


def test_path_parameters_are_the_routes_arguments(mock_app, description):
    for path, route in flask_routes(mock_app).items():
        for method in route["methods"]:
            declared = {parameter["name"]: parameter for parameter in parameters(description, path, method.lower())
                        if parameter["in"] == "path"}
            assert set(declared) == set(route["converters"]), f"{method} {path}"
            for name, converter in route["converters"].items():
                kind = "integer" if isinstance(converter, IntegerConverter) else "string"
                assert declared[name]["schema"]["type"] == kind, f"{method} {path}: {name}"


def test_the_description_is_valid_openapi(description):
    validate_openapi(description)
    ids = [operation["operationId"] for _, _, operation in operations(description)]
    assert len(ids) == len(set(ids))


def examples(description: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(where, pointer of its schema, value) for every example in the description."""

    def of(media: dict[str, Any], at: str, where: str) -> Iterator[tuple[str, str, Any]]:
        if "example" in media:
            yield where, at, media["example"]
        for name, example in media.get("examples", {}).items():
            yield f"{where} ({name})", at, resolved(description, example)["value"]

    for path, method, operation in operations(description):
        here = ("paths", path, method)
        for index, parameter in enumerate(operation.get("parameters", [])):
            yield from of(parameter, pointer(*here, "parameters", str(index), "schema"), f"{method} {path} {parameter['name']}")
        for media_type, media in resolved(description, operation.get("requestBody", {})).get("content", {}).items():
            yield from of(media, pointer(*here, "requestBody", "content", media_type, "schema"), f"{method} {path} body")
        for status, answer in operation["responses"].items():
            for media_type, media in resolved(description, answer).get("content", {}).items():
                yield from of(media, pointer(*here, "responses", status, "content", media_type, "schema"),
                              f"{method} {path} {status}")


def test_examples_match_their_schemas(description):
    found = list(examples(description))
    assert found, "the description has examples (schemathesis sends them first)"
    for where, at, value in found:
        problems = [error.message for error in validator(description, at).iter_errors(value)]
        assert not problems, f"{where}: {problems}"


def test_the_description_is_served(api, description):
    answer = api.get("/__mock__/openapi.json")
    assert answer.status_code == 200
    assert answer.get_json() == description


# What the routes answer, as the description says ---------------------------------


def check_answer(description: dict[str, Any], path: str, method: str, answer) -> None:
    """The status is documented, its content type, its body's schema and its headers as well."""
    where = f"{method.upper()} {path} -> {answer.status_code}"
    responses = description["paths"][path][method]["responses"]
    assert str(answer.status_code) in responses, f"{where}: undocumented status"
    documented = resolved(description, responses[str(answer.status_code)])
    for header, definition in documented.get("headers", {}).items():
        definition = resolved(description, definition)
        if definition.get("required"):
            assert header in answer.headers, f"{where}: no {header} header"
            assert re.search(definition["schema"].get("pattern", ""), answer.headers[header]), f"{where}: {header}"
    content = documented.get("content", {})
    if not content:
        assert not answer.data, f"{where}: a body where none is documented"
        return
    assert answer.mimetype in content, f"{where}: {answer.mimetype} is not {', '.join(content)}"
    if answer.mimetype == "application/json":
        at = pointer("paths", path, method, "responses", str(answer.status_code), "content", "application/json", "schema")
        if "$ref" in responses[str(answer.status_code)]:  # a shared response: its own schema
            at = resolved(description, responses[str(answer.status_code)])["content"]["application/json"]["schema"]["$ref"][1:]
        problems = [f"{list(error.absolute_path)}: {error.message}"
                    for error in validator(description, at).iter_errors(answer.get_json())]
        assert not problems, f"{where}: {problems}"


@pytest.fixture
def busy_mock(mock_app: SiteDispatcher, add_persona):
    """A mock with something in every list: personas, faults, a message, a journal entry, a pending approval."""
    persona = add_persona()
    add_persona(provisional=True, phone=None)
    mock_app.store.faults.add({"kind": "latency", "ms": [10, 20], "site": "ameli", "times": 2})
    mock_app.store.faults.add({"kind": "sms_delay", "seconds": 60})
    mock_app.store.faults.add({"kind": "status", "status": 503, "route": "/never/*"})
    send_code(mock_app.store, persona, channel="mail", code="123456", purpose="reset")
    Client(mock_app).get("/", base_url="http://moncompte.localhost").close()  # one journal entry
    mock_app.store.approvals.open("request-1")
    return mock_app


def test_what_every_read_answers_is_described(busy_mock, description):
    api = busy_mock.root.test_client()
    persona = busy_mock.store.list_personas()[0]
    message = busy_mock.store.outbox()[0]
    concrete = {"{persona_id}": persona.id, "{client_id}": MONCOMPTE_CLIENT_ID}
    queries = {"/__mock__/outbox/latest": f"?to={message.to}", "/__mock__/journal": "?site=moncompte&limit=5"}
    # The client page's returns exist only after a login of this browser (tests/test_client_page.py).
    refused = {"/__mock__/client/callback": 400, "/__mock__/client/result/{result_id}": 404}
    checked = 0
    for path, method, operation in operations(description):
        if method != "get":
            continue
        url = path
        for name, value in concrete.items():
            url = url.replace(name, value)
        answer = api.get(url + queries.get(path, ""), headers={"Accept": "application/json"})
        assert answer.status_code == refused.get(path, 200), f"GET {url}: {answer.status_code}"
        check_answer(description, path, method, answer)
        checked += 1
    assert checked >= 15


def test_the_examples_sent_get_described_answers(mock_app, description):
    """Every request body example, sent: its answer is one the operation describes."""
    api = mock_app.root.test_client()
    sent = 0
    for path, method, operation in operations(description):
        media = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        for example in media.get("examples", {}).values():
            answer = api.open(path, method=method.upper(), json=example["value"])
            assert answer.status_code < 500
            check_answer(description, path, method, answer)
            sent += 1
    assert sent >= 5


@pytest.mark.parametrize(("method", "path", "status"), [
    ("post", "/__mock__/clock", 415),
    ("post", "/__mock__/personas", 415),
])
def test_a_json_body_of_another_type_gets_the_described_415(api, description, method, path, status):
    answer = api.open(path, method=method.upper(), data='{"advance": "1m"}', content_type="text/plain")
    assert answer.status_code == status
    check_answer(description, path, method, answer)


def test_the_guards_answers_are_described(api, description):
    foreign_host = api.get("/__mock__/health", headers={"Host": "rebound.example"})
    check_answer(description, "/__mock__/health", "get", foreign_host)
    foreign_origin = api.post("/__mock__/reset", headers={"Origin": "http://elsewhere.example"})
    check_answer(description, "/__mock__/reset", "post", foreign_origin)
    no_token = api.post("/__mock__/dashboard/clock", data={"advance": "1m"})
    check_answer(description, "/__mock__/dashboard/clock", "post", no_token)
    assert (foreign_host.status_code, foreign_origin.status_code, no_token.status_code) == (421, 403, 400)
