"""The OpenAPI 3.1 description of the control API, served at GET /__mock__/openapi.json.

Built from the constants the routes validate with (sites, fault kinds, bounds,
scenario names, algorithms), so a bound changed in the code changes here too.
What the code checks and no JSON Schema can say (a NIR's key, a range's order,
a persona's fields that must agree) is said in the descriptions: a body valid
here may still get 422. tests/test_openapi.py keeps every route described with
its methods; `make fuzz` runs schemathesis against this description.

    .venv/bin/python -m mock_server.control.api_description > openapi.json
"""

from __future__ import annotations

import json
from typing import Any

from ..config import PROVIDER_IDS, SITES
from ..oidc.clients import (AUTH_METHODS, CLIENT_TYPES, ENTITLED_CLAIMS, MAX_CREDENTIAL_LENGTH, MAX_JWKS_KEYS,
                            MAX_NAME_LENGTH, MAX_URI_LENGTH, MIN_SECRET_LENGTH)
from ..oidc.broken_answers import BROKEN_ANSWERS
from ..oidc.keys import ALGORITHMS
from ..identity_providers import PROVIDERS as IDENTITY_PROVIDERS
from ..identity_providers import IdentityProvider
from ..personas import FC_ERRORS, GENDERS, MAX_FIELD_LENGTH
from ..simulation.faults import (
    ANSWER_KINDS, CALL_KINDS, KINDS, MAX_CLIENT_ID_LENGTH, MAX_DELAY_SECONDS, MAX_LATENCY_MS,
    MAX_TIMEOUT_SECONDS, MAX_TIMES, MESSAGE_KINDS, METHODS,
)
from ..simulation.journal import CAPACITY as JOURNAL_CAPACITY
from ..simulation.presets import PRESETS
from .clock import MAX_ADVANCE, MAX_DURATION_LENGTH
from .dashboard import WORDS as DASHBOARD_WORDS
from .inputs import MAX_JSON_DEPTH
from .outbox import CHANNELS, MAX_MESSAGE_ID, MAX_WAIT_SECONDS
from .settings import SETTINGS

Schema = dict[str, Any]

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
HTML = "text/html"

# What Python's str.strip() and str.isspace() take for white space, as a regex class:
# ECMA's \s (what JSON Schema patterns use) differs from it (U+FEFF, U+001C-U+001F, U+0085).
_SPACE = "".join(f"\\u{code:04x}" for code in range(0x10000) if chr(code).isspace())
NOT_BLANK = f"[^{_SPACE}]"  # unanchored: something besides white space
NO_SPACE = f"^[^{_SPACE}]*$"
CASE_INSENSITIVE_METHOD = "^(?:" + "|".join(
    "".join(f"[{char}{char.lower()}]" for char in method) for method in METHODS) + ")$"
# "90s", "15m", "2h", "1d", "1h30m": units in this order, each once, at least one.
_UNITS = ("d", "h", "m", "s")
DURATION = f"^[{_SPACE}]*(?:" + "|".join(
    f"[0-9]+{unit}" + "".join(f"(?:[0-9]+{later})?" for later in _UNITS[index + 1:])
    for index, unit in enumerate(_UNITS)) + f")[{_SPACE}]*$"
# A boolean in a query: true, false (any case), 1 or 0 (control/inputs.py yes_or_no).
BOOLEAN = "^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[01])$"
SIX_DIGITS = f"^[{_SPACE}]*[0-9]{{6}}[{_SPACE}]*$"
# One "@", something before it, a dot inside the domain, no white space (rules/email.py).
EMAIL = f"^[^@{_SPACE}]+@[^@{_SPACE}]+\\.[^@{_SPACE}]+$"
# An absolute http(s) URL without a fragment (an empty "#" is no fragment).
REDIRECT_URI = "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]+[^#]*#?$"


def schema(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def response(name: str) -> Schema:
    return {"$ref": f"#/components/responses/{name}"}


def nullable(definition: Schema) -> Schema:
    return {"anyOf": [definition, {"type": "null"}]}


def string(**keywords: Any) -> Schema:
    return {"type": "string", **keywords}


def integer(low: int, high: int, **keywords: Any) -> Schema:
    # In a JSON body the code takes 3, not 3.0 (which JSON Schema also calls an integer).
    return {"type": "integer", "minimum": low, "maximum": high, **keywords}


def obj(properties: dict[str, Schema], required: tuple[str, ...] = (), **keywords: Any) -> Schema:
    definition: Schema = {"type": "object", "properties": properties, "additionalProperties": False, **keywords}
    if required:
        definition["required"] = list(required)
    return definition


def form(properties: dict[str, Schema], required: tuple[str, ...] = (), **keywords: Any) -> Schema:
    """A dashboard form: its CSRF token required, fields it does not know ignored."""
    return {"type": "object", "properties": properties, "required": ["csrf_token", *required], **keywords}


# Responses ------------------------------------------------------------------

NO_STORE = {"Cache-Control": {"$ref": "#/components/headers/NoStore"}}


def ok(description: str, body: Schema | None = None, *, html: bool = False) -> Schema:
    content = {}
    if body is not None:
        content[JSON] = {"schema": body}
    if html:
        content[HTML] = {"schema": string()}
    return {"description": description, "headers": NO_STORE, **({"content": content} if content else {})}


def no_content(description: str) -> Schema:
    return {"description": description, "headers": NO_STORE}


def see_other(description: str) -> Schema:
    return {"description": description,
            "headers": {**NO_STORE, "Location": {"$ref": "#/components/headers/Location"}}}


def error(description: str, *, html: bool = False) -> Schema:
    """An error: JSON for programs, the page again (HTML) for a person's form."""
    content: Schema = {JSON: {"schema": schema("Error")}}
    if html:
        content[HTML] = {"schema": string()}
    return {"description": description, "content": content}


# Every request: these come before any route runs (control/guard.py).
GUARDED = {"421": response("MisdirectedRequest")}
# Every request that may change something (not GET): its Origin is checked, its form's CSRF token.
CHANGING = {**GUARDED, "400": response("BadRequest"), "403": response("ForeignOrigin")}
# Every request taking a JSON body.
JSON_BODY = {**CHANGING, "413": response("PayloadTooLarge"), "415": response("UnsupportedMediaType")}
# Every dashboard form post.
FORM_POST = {**CHANGING, "413": response("PayloadTooLarge")}


def operation(operation_id: str, tag: str, summary: str, responses: dict[str, Schema], **more: Any) -> Schema:
    return {"operationId": operation_id, "tags": [tag], "summary": summary, "responses": responses, **more}


def json_request(body: Schema, *, required: bool, examples: dict[str, Any] | None = None,
                 description: str | None = None) -> Schema:
    media: Schema = {"schema": body}
    if examples:
        media["examples"] = {name: {"value": value} for name, value in examples.items()}
    request: Schema = {"required": required, "content": {JSON: media}}
    if description:
        request["description"] = description
    return request


def form_request(body: Schema) -> Schema:
    return {"required": True, "content": {FORM: {"schema": body}}}


def query(name: str, definition: Schema, description: str, *, required: bool = False) -> Schema:
    return {"name": name, "in": "query", "required": required, "schema": definition, "description": description}


def path_parameter(name: str, definition: Schema, description: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": definition, "description": description}


FAULT_ID = path_parameter("fault_id", {"type": "integer", "minimum": 0}, "a fault's id, as POST /__mock__/faults answers it")
SCENARIO_NAME = path_parameter("name", string(enum=list(PRESETS)), "a scenario's name (GET /__mock__/scenarios)")
PERSONA_ID = path_parameter("persona_id", string(), "a persona's id, as POST /__mock__/personas answers it")
CLIENT_ID = path_parameter("client_id", string(), "a client_id registered with FranceConnect")
IDP_ID = path_parameter("idp", string(enum=list(PROVIDER_IDS)), "an identity provider's id")
SINCE = string(format="date-time")
EXAMPLE_SECRET = "an-example-secret-of-32-characters-at-least"


# Schemas --------------------------------------------------------------------


def _credential_schema(record: IdentityProvider) -> Schema:
    """A provider's credentials: each field's own keywords (its record's) over a non-blank string."""
    properties = {
        spec.key: string(**{"maxLength": MAX_FIELD_LENGTH, "pattern": EMAIL if spec.own == "email" else NOT_BLANK,
                            **spec.schema})
        for spec in record.fields
    }
    return obj(properties, maxProperties=0) if not record.fields else obj(properties)


def _persona_fields(*, output: bool) -> dict[str, Schema]:
    text = string() if output else string(maxLength=MAX_FIELD_LENGTH)
    named = string() if output else string(maxLength=MAX_FIELD_LENGTH, pattern=NOT_BLANK)
    credentials = {record.id: _credential_schema(record) for record in IDENTITY_PROVIDERS}
    return {
        "nir": {"type": ["string", "null"]} if output else {
            **text, "description": "13 characters (spaces, dots and dashes allowed), 2A/2B for Corsica; its key "
                                   "(sex, year, month, commune) must be right"},
        "provisional_id": {"type": ["string", "null"]} if output else {
            **text, "description": "an identifiant provisoire; not with nir"},
        "password": {"type": ["string", "null"]} if output else {
            **text, "description": "meets Mon Compte's password rules; not with has_account false"},
        "given_name": named,
        "family_name": named,
        "gender": string(enum=list(GENDERS), description="the NIR's first digit decides it"),
        "birthdate": string(format="date") if output else string(
            format="date", pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="YYYY-MM-DD; the NIR's year and month"),
        "email": {"type": ["string", "null"]} if output else {
            "type": ["string", "null"], "maxLength": MAX_FIELD_LENGTH, "pattern": EMAIL,
            "description": "null: no code by mail (not with phone null too)"},
        "phone": {"type": ["string", "null"]} if output else {
            "type": ["string", "null"], "maxLength": MAX_FIELD_LENGTH,
            "description": "a French mobile number (06 or 07, +33 6…); null: no code by SMS"},
        "has_account": {"type": "boolean", "description": "false: known to the CAF, no online account, no password"},
        "birthplace": string() if output else string(
            pattern="^(?:(?:[0-9]{2}|2[AB])[0-9]{3})?$",
            description="INSEE commune code (the NIR's 6th-10th characters), \"\" when born abroad"),
        "birthcountry": string() if output else string(pattern="^99[0-9]{3}$", description="INSEE country code, 99100 France"),
        "fc_error": {"enum": [*FC_ERRORS, None], "description": "how the identity provider misbehaves for this persona"},
        "credentials": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": string()}}
        if output else obj(credentials, description="login per identity provider, generated when not given"),
        "caf_record": {"type": "boolean", "description": "false: the identity providers know the persona, the CAF does not"},
        "preferred_username": {
            "type": ["string", "null"], **({} if output else {"maxLength": MAX_FIELD_LENGTH, "pattern": NOT_BLANK}),
            "description": "nom d'usage (FranceConnect's preferred_username); null: none"},
    }


def _fault_branch(kinds: tuple[str, ...], fields: dict[str, Schema], required: tuple[str, ...] = (),
                  **keywords: Any) -> Schema:
    kind = {"const": kinds[0]} if len(kinds) == 1 else {"enum": list(kinds)}
    common = {
        "persona": nullable(string(minLength=1, description="only this persona's requests or messages")),
        "times": nullable(integer(1, MAX_TIMES, description="matching requests or messages, then it clears itself")),
    }
    if set(kinds) <= set(CALL_KINDS):
        del common["persona"]  # the network does not know whose call it carries
    return obj({"kind": kind, **fields, **common}, ("kind", *required), **keywords)


def _fault_input() -> Schema:
    http = {
        "site": {"enum": [*SITES, None]},
        "route": nullable(string(pattern="^/", description="a path, or a glob: /api/v2/*")),
        "method": nullable(string(pattern=CASE_INSENSITIVE_METHOD, description="any case")),
    }
    latency_ms = integer(0, MAX_LATENCY_MS)
    return {
        "description": "A fault: which fields apply depends on its kind. A latency range is [lowest, highest].",
        "oneOf": [
            _fault_branch(("latency",), {**http, "ms": {"anyOf": [
                latency_ms, {"type": "array", "items": latency_ms, "minItems": 2, "maxItems": 2}]}}, ("ms",)),
            _fault_branch(("status",), {**http, "status": integer(400, 599)}, ("status",)),
            _fault_branch(("timeout",), {**http, "seconds": integer(1, MAX_TIMEOUT_SECONDS)}),
            _fault_branch(CALL_KINDS, http, description=(
                "The network failing under a call to the site (route, method): the mock's own calls between "
                "sites (FranceConnect to a provider's discovery, JWKS, token, userinfo; Mon Compte to "
                "FranceConnect's) meet real failing sockets: connection_refused (ECONNREFUSED), connection_reset "
                "(RST once the request is sent), connection_timed_out (connect() unanswered until the caller's "
                "upstream_timeout_seconds), offline (ENETUNREACH), empty_reply (closed without a byte). "
                "The site itself never sees the call; a browser meets them through the harness's routing.")),
            _fault_branch(("malformed_body", "truncated_body"), http, description=(
                "The site's answer broken as it leaves, for browsers and the mock's calls alike: "
                "malformed_body sends the route's status and content type with the first half of its body "
                "(JSON cut in the middle); truncated_body the same half under the whole body's Content-Length, "
                "then closes the connection.")),
            _fault_branch(("sms_delay",), {"seconds": integer(1, MAX_DELAY_SECONDS, description="mock seconds")}, ("seconds",)),
            _fault_branch(tuple(kind for kind in MESSAGE_KINDS if kind != "sms_delay"), {}),
            # Broken answers of FranceConnect: for the next login (times 1) unless told.
            _fault_branch(ANSWER_KINDS, {"client": nullable(string(
                pattern=NOT_BLANK, maxLength=MAX_CLIENT_ID_LENGTH, description="only this FranceConnect client's logins"))},
                description="A broken answer of FranceConnect, by kind: " + "; ".join(
                    f"{record.kind}: {record.answer} {record.wrong}, a strict client must {record.client_must}"
                    for record in BROKEN_ANSWERS.values())),
        ],
    }


def _setting(name: str) -> Schema:
    setting = SETTINGS[name]
    kind = "integer" if setting.kind is int else "number"
    return {"type": kind, "minimum": setting.low, "maximum": setting.high, "description": setting.meaning}


def schemas() -> dict[str, Schema]:
    uri = string(maxLength=MAX_URI_LENGTH, pattern=REDIRECT_URI, description="an absolute http(s) URL, no fragment")
    algorithm = string(enum=list(ALGORITHMS))
    client_id = string(minLength=1, maxLength=MAX_CREDENTIAL_LENGTH, pattern="^[A-Za-z0-9._~-]+$",
                       description="letters, digits and - . _ ~ (a path segment of …/clients/{client_id})")
    client_secret = string(minLength=MIN_SECRET_LENGTH, maxLength=MAX_CREDENTIAL_LENGTH, pattern=NO_SPACE,
                           description=f"{MIN_SECRET_LENGTH} characters at least, no white space")
    registration = {
        "client_secret": client_secret,
        "name": string(maxLength=MAX_NAME_LENGTH, pattern=NOT_BLANK, description="client_id when not given"),
        "redirect_uris": {"type": "array", "minItems": 1, "items": uri},
        "post_logout_redirect_uris": {"type": "array", "items": uri},
        "id_token_signed_response_alg": algorithm,
        "userinfo_signed_response_alg": algorithm,
        "type": string(enum=list(CLIENT_TYPES), description="public (an administration: FranceConnect's information "
                       "page) or private (a company: its consent box); public when not given"),
        "providers": {"type": "array", "minItems": 1, "items": string(enum=list(PROVIDER_IDS)),
                      "description": "the identity providers the client offers; all of them when not given"},
        "token_endpoint_auth_method": string(enum=list(AUTH_METHODS), description=(
            "client_secret_post when not given; FranceConnect allows no other (client_secret_basic is refused)")),
        "jwks": {"type": "object", "required": ["keys"], "properties": {"keys": {"type": "array", "minItems": 1,
                 "maxItems": MAX_JWKS_KEYS, "items": {"type": "object"}}},
                 "description": "the client's public keys (EC or RSA JWKs, no private part): required for private_key_jwt"},
        "claims": {"type": "array", "items": string(enum=list(ENTITLED_CLAIMS)),
                   "description": "claims the client may ask for with the claims parameter (FranceConnect's "
                                  "service-provider records: [\"amr\"])"},
    }
    registration["client_secret"] = {**client_secret, "description": (
        f"{MIN_SECRET_LENGTH} characters at least, no white space; required for client_secret_post")}
    client_fields = {
        "client_id": string(),
        "name": string(),
        "redirect_uris": {"type": "array", "items": string()},
        "post_logout_redirect_uris": {"type": "array", "items": string()},
        "id_token_signed_response_alg": algorithm,
        "userinfo_signed_response_alg": algorithm,
        "type": string(enum=list(CLIENT_TYPES)),
        "providers": {"type": ["array", "null"], "items": string(), "description": "null: every provider"},
        "token_endpoint_auth_method": string(enum=list(AUTH_METHODS)),
        "jwks": {"type": ["object", "null"], "description": "the client's public JWKS (private_key_jwt)"},
        "claims": {"type": "array", "items": string()},
        "builtin": {"type": "boolean", "description": "Mon Compte's own: kept on reset, cannot be replaced"},
    }
    message_fields = {
        "id": {"type": "integer"},
        "channel": string(enum=list(CHANNELS)),
        "to": string(),
        "sent_at": string(format="date-time"),
        "delivered_at": string(format="date-time", description="later than sent_at for a delayed SMS"),
        "subject": {"type": ["string", "null"]},
        "text": string(),
        "html": {"type": ["string", "null"]},
        "code": {"type": ["string", "null"], "description": "the verification code the message carries"},
        "purpose": {"type": ["string", "null"]},
        "bounced": {"type": "boolean"},
    }
    persona_output = _persona_fields(output=True)
    fault_output = {
        "id": {"type": "integer"},
        "kind": string(enum=list(KINDS)),
        "site": string(enum=list(SITES)),
        "client": string(),
        "route": string(),
        "method": string(enum=list(METHODS)),
        "persona": string(),
        "times": {"type": "integer", "description": "left before it clears itself"},
        "ms": {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}]},
        "status": {"type": "integer"},
        "seconds": {"type": "number"},
        "hits": {"type": "integer"},
    }
    phone_form = {
        "csrf_token": string(), "persona_id": string(), "code": string(pattern=f"^(?:{SIX_DIGITS[1:-1]})?$"),
    }
    return {
        "Error": obj({"error": string(), "field": {"type": ["string", "null"],
                                                  "description": "the field, parameter or header at fault"}},
                     ("error", "field")),
        "Persona": obj({"id": string(), **persona_output}, ("id", *persona_output)),
        "PersonaInput": obj({
            **_persona_fields(output=False),
            "provisional": {"type": "boolean", "description": "generate a provisional persona (no NIR)"},
            "corsican": {"type": "boolean", "description": "generate a NIR born in 2A or 2B"},
        }, description="Any persona field; the others are generated to agree with those given."),
        "StorageState": obj({
            "cookies": {"type": "array", "minItems": 1, "items": obj({
                "name": string(), "value": string(), "domain": string(), "path": string(),
                "expires": {"type": "number"}, "httpOnly": {"type": "boolean"}, "secure": {"type": "boolean"},
                "sameSite": string(enum=["Lax", "Strict", "None"]),
            }, ("name", "value", "domain", "path", "expires", "httpOnly", "secure", "sameSite"))},
            "origins": {"type": "array", "maxItems": 0},
        }, ("cookies", "origins"), description="A Playwright storage state"),
        "Settings": obj({name: {"type": "number"} for name in SETTINGS}, tuple(SETTINGS)),
        "SettingsChange": obj({name: _setting(name) for name in SETTINGS}, minProperties=1,
                              description="Every value checked before any is set: a bad one changes nothing."),
        "Clock": obj({"now": string(format="date-time"), "offset_seconds": {"type": "number", "minimum": 0}},
                     ("now", "offset_seconds")),
        "ClockChange": {"oneOf": [
            obj({"advance": {"anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_ADVANCE.total_seconds(),
                 "description": "seconds"},
                string(maxLength=MAX_DURATION_LENGTH, pattern=DURATION,
                       description="a duration: 90s, 15m, 1h30m, 2d; more than 0, at most 366 days"),
            ]}}, ("advance",)),
            obj({"real_time": {"const": True, "description": "back to real time"}}, ("real_time",)),
        ]},
        "Fault": obj(fault_output, ("id", "kind", "hits")),
        "FaultInput": _fault_input(),
        "JournalEntry": obj({
            "id": {"type": "integer"}, "at": string(format="date-time"), "site": string(enum=list(SITES)),
            "method": string(), "path": string(), "status": {"type": "integer"}, "duration_ms": {"type": "number"},
            "persona": {"type": ["string", "null"]},
            "persona_name": {"type": ["string", "null"],
                             "description": "the persona's display name when the request came (kept once it is deleted)"},
            "fault": {"type": ["integer", "null"]},
        }, ("id", "at", "site", "method", "path", "status", "duration_ms", "persona", "persona_name", "fault")),
        "Message": obj(message_fields, tuple(message_fields)),
        "Scenario": obj({"name": string(enum=list(PRESETS)), "description": string(),
                         "faults": {"type": "array", "items": {"type": "object"}}}, ("name", "description", "faults")),
        "ScenarioApplied": obj({"name": string(enum=list(PRESETS)), "done": {"type": "array", "items": string()}},
                               ("name", "done")),
        "Sites": obj({site: string(format="uri") for site in SITES}, tuple(SITES)),
        "Client": obj(client_fields, tuple(client_fields)),
        "FcProvider": obj({
            "id": string(enum=list(PROVIDER_IDS)), "name": string(),
            "active": {"type": "boolean", "description": "selectable on the chooser (false: greyed out, \"Indisponible\")"},
            "display": {"type": "boolean", "description": "shown on the chooser at all"},
            "default": obj({"active": {"type": "boolean"}, "display": {"type": "boolean"}}, ("active", "display"),
                           description="the record's values, which POST /__mock__/reset puts back"),
        }, ("id", "name", "active", "display", "default")),
        "FcProviderChange": obj({"active": {"type": "boolean"}, "display": {"type": "boolean"}}, minProperties=1,
                                description="A flag left out keeps its value."),
        "RegisteredClient": obj({
            **client_fields, "client_secret": string(), "issuer": string(format="uri"),
            "discovery_url": string(format="uri"),
        }, (*client_fields, "client_secret", "issuer", "discovery_url")),
        "DescribedClient": obj({
            **client_fields, "issuer": string(format="uri"), "discovery_url": string(format="uri"),
        }, (*client_fields, "issuer", "discovery_url"), description="A client, without its secret"),
        "ClientRegistration": obj({"client_id": client_id, **registration}, ("client_id", "redirect_uris"),
                                  description="A client_id registered already is a 409: PUT replaces one."),
        "ClientReplacement": obj({"client_id": client_id, **registration}, ("redirect_uris",),
                                 description="client_id may be left out; when given, it is the path's."),
        "PendingLogin": obj({"code": string(pattern="^[0-9]{6}$"), "created_at": string(format="date-time"),
                             "expires_at": string(format="date-time")}, ("code", "created_at", "expires_at")),
        "PhoneAnswer": obj({"status": string(enum=["approved", "refused"]), "code": string(pattern="^[0-9]{6}$")},
                           ("status", "code")),
        "Approval": obj({
            "persona_id": string(pattern=NOT_BLANK, description="a persona with a France Identité account"),
            "code": string(pattern=SIX_DIGITS, description="the code the login page shows; optional when one login waits"),
        }, ("persona_id",)),
        "Refusal": obj({"code": string(pattern=SIX_DIGITS, description="optional when one login waits")}),
        "ApprovalForm": obj(phone_form, ("csrf_token", "persona_id"), description=(
            "The phone page's form; an empty field is a field not given, another field is refused (422).")),
        "RefusalForm": obj(phone_form, ("csrf_token",), description="The phone page's form, refusing."),
        # The dashboard's forms ignore fields they do not know (a button's name, as browsers send it).
        "CsrfForm": form({"csrf_token": string(description="the token of the dashboard's forms")}),
        "FaultForm": form({
            "csrf_token": string(),
            "kind": string(pattern=NOT_BLANK, description=", ".join(KINDS)),
            **{name: string() for name in ("site", "route", "method", "persona", "times", "ms", "status", "seconds")},
        }, ("kind",), description="The dashboard's fault form: as FaultInput, every field text, an empty one not "
                                  "given, ms \"200-800\" for a range."),
        "ClockForm": form({"csrf_token": string(),
                           "advance": string(pattern=NOT_BLANK, description="a duration: 90s, 15m, 1h30m")},
                          ("advance",)),
        "Description": {"type": "object", "required": ["openapi", "paths"]},
    }


def responses() -> dict[str, Schema]:
    both = {JSON: {"schema": schema("Error")}, HTML: {"schema": string()}}
    return {
        "BadRequest": {"description": (
            f"A JSON body that is not UTF-8, not JSON (NaN, Infinity, an integer too long), not an object, or nested "
            f"more than {MAX_JSON_DEPTH} levels; a form without the dashboard's CSRF token (a page for a form)"),
            "content": both},
        "ForeignOrigin": {"description": "The Origin header names a page that is not the mock's", "content": both},
        "MisdirectedRequest": {"description": "The Host is none of the mock's own names (DNS rebinding)", "content": both},
        "PayloadTooLarge": {"description": "A body over 64 KiB", "content": both},
        "UnsupportedMediaType": {
            "description": "A body not sent as application/json (field: Content-Type)",
            "content": {JSON: {"schema": schema("Error")}}},
        "Unprocessable": error("A field is missing or wrong (field names it); nothing changed"),
        "NotFound": error("No such resource"),
    }


# Paths ----------------------------------------------------------------------


def dashboard_paths() -> dict[str, Schema]:
    add_fault = dict(
        requestBody=form_request(schema("FaultForm")),
        responses={"303": see_other("Added: back to the dashboard"),
                   "422": error("A field is wrong: the dashboard again, the message next to the form", html=True),
                   **FORM_POST},
    )
    return {
        "/__mock__/": {
            "get": operation("dashboardPage", "dashboard", "The simulator's dashboard (HTML)", {
                "200": ok("The page", html=True), **GUARDED}, parameters=[
                query("fait", string(), f"what was just done: {', '.join(DASHBOARD_WORDS['done'])}"),
                query("n", string(), "the fault id or scenario name it was done to"),
                query("static", string(), "1 or true: the journal shows static files and icons too"),
                {**query("d", {"type": "array", "items": string()}, "details shown under the notice (20 at most)"),
                 "style": "form", "explode": True},
            ]),
            "post": operation("dashboardAddFaultHere", "dashboard", "Add a fault (the dashboard's form, older address)",
                              **add_fault),
        },
        "/__mock__/dashboard/faults": {
            "post": operation("dashboardAddFault", "dashboard", "Add a fault (the dashboard's form)", **add_fault),
        },
        "/__mock__/dashboard/faults/{fault_id}/delete": {
            "post": operation("dashboardRemoveFault", "dashboard", "Remove a fault", {
                "303": see_other("Removed"), "404": error("No such fault (a page), or no such route", html=True),
                **FORM_POST}, parameters=[FAULT_ID], requestBody=form_request(schema("CsrfForm"))),
        },
        "/__mock__/dashboard/faults/clear": {
            "post": operation("dashboardClearFaults", "dashboard", "Clear every fault", {
                "303": see_other("Cleared"), **FORM_POST}, requestBody=form_request(schema("CsrfForm"))),
        },
        "/__mock__/dashboard/scenarios/{name}": {
            "post": operation("dashboardApplyScenario", "dashboard", "Set a named scenario", {
                "303": see_other("Set"), "404": error("No such scenario (a page), or no such route", html=True),
                "422": error("The scenario's faults were refused", html=True), **FORM_POST},
                parameters=[SCENARIO_NAME], requestBody=form_request(schema("CsrfForm"))),
        },
        "/__mock__/dashboard/clock": {
            "post": operation("dashboardAdvanceClock", "dashboard", "Move the mock clock forward", {
                "303": see_other("Moved"), "422": error("Not a duration: the dashboard again", html=True),
                **FORM_POST}, requestBody=form_request(schema("ClockForm"))),
        },
        "/__mock__/dashboard/clock/real-time": {
            "post": operation("dashboardRealTime", "dashboard", "Back to real time", {
                "303": see_other("Back to real time"), **FORM_POST}, requestBody=form_request(schema("CsrfForm"))),
        },
    }


def api_paths() -> dict[str, Schema]:
    persona_links = {
        "GetPersona": {"operationId": "getPersona", "parameters": {"persona_id": "$response.body#/id"}},
        "DeletePersona": {"operationId": "deletePersona", "parameters": {"persona_id": "$response.body#/id"}},
        "SignIn": {"operationId": "createSession", "requestBody": {"persona_id": "$response.body#/id"}},
        "ApproveOnPhone": {"operationId": "approveFranceIdentiteLogin", "requestBody": {"persona_id": "$response.body#/id"}},
    }
    client_links = {
        "GetClient": {"operationId": "getFranceConnectClient", "parameters": {"client_id": "$response.body#/client_id"}},
        "DeleteClient": {"operationId": "deleteFranceConnectClient",
                         "parameters": {"client_id": "$response.body#/client_id"}},
    }
    return {
        "/__mock__/openapi.json": {
            "get": operation("openApiDescription", "meta", "This description", {
                "200": ok("OpenAPI 3.1", schema("Description")), **GUARDED}),
        },
        "/__mock__/health": {
            "get": operation("health", "meta", "Is the mock up", {
                "200": ok("Up", obj({"status": {"const": "ok"}}, ("status",))), **GUARDED}),
        },
        "/__mock__/sites": {
            "get": operation("listSites", "meta", "Each site's base URL", {"200": ok("The sites", schema("Sites")), **GUARDED}),
        },
        "/__mock__/reset": {
            "post": operation("reset", "meta", "Forget every persona, session, lockout, message, fault; settings back", {
                "200": ok("Reset", obj({"status": {"const": "reset"}}, ("status",))), **CHANGING}),
        },
        "/__mock__/personas": {
            "get": operation("listPersonas", "personas", "Every persona, credentials included", {
                "200": ok("The personas", {"type": "array", "items": schema("Persona")}), **GUARDED}),
            "post": operation("createPersona", "personas", "Create a persona from the fields given", {
                "201": {**ok("Created", schema("Persona")), "links": persona_links},
                "409": error("A persona with this NIR or provisional identifier exists (field names it)"),
                "422": response("Unprocessable"), **JSON_BODY},
                requestBody=json_request(schema("PersonaInput"), required=False, examples={
                    "generated": {},
                    "corsican": {"corsican": True},
                    "without_phone": {"phone": None, "given_name": "Léa"},
                })),
        },
        "/__mock__/personas/{persona_id}": {
            "parameters": [PERSONA_ID],
            "get": operation("getPersona", "personas", "One persona", {
                "200": ok("The persona", schema("Persona")), "404": response("NotFound"), **GUARDED}),
            "delete": operation("deletePersona", "personas", "Remove a persona", {
                "204": no_content("Removed"), "404": response("NotFound"), **CHANGING}),
        },
        "/__mock__/sessions": {
            "post": operation("createSession", "personas", "A Mon Compte session for a persona, as a login opens it", {
                "201": ok("A Playwright storage state holding the session cookie", schema("StorageState")),
                "404": error("No such persona"),
                "409": error("The persona has no online account (has_account false)"),
                "422": response("Unprocessable"), **JSON_BODY},
                requestBody=json_request(obj({"persona_id": string(minLength=1)}, ("persona_id",)), required=True,
                                         examples={"unknown_persona": {"persona_id": "000000000000"}})),
        },
        "/__mock__/settings": {
            "get": operation("readSettings", "settings", "The rules' knobs", {"200": ok("The values", schema("Settings")),
                                                                            **GUARDED}),
            "post": operation("changeSettings", "settings", "Change the knobs named", {
                "200": ok("The values now", schema("Settings")), "422": response("Unprocessable"), **JSON_BODY},
                requestBody=json_request(schema("SettingsChange"), required=True,
                                         examples={"lockout": {"lockout_threshold": 3, "lockout_minutes": 15}})),
        },
        "/__mock__/clock": {
            "get": operation("readClock", "clock", "The mock's time", {"200": ok("Now", schema("Clock")), **GUARDED}),
            "post": operation("moveClock", "clock", "Move the clock forward, or back to real time", {
                "200": ok("Now", schema("Clock")), "422": response("Unprocessable"), **JSON_BODY},
                requestBody=json_request(schema("ClockChange"), required=True, examples={
                    "minutes": {"advance": "15m"}, "seconds": {"advance": 90}, "real_time": {"real_time": True}})),
        },
        "/__mock__/faults": {
            "get": operation("listFaults", "faults", "The active faults", {
                "200": ok("The faults", {"type": "array", "items": schema("Fault")}), **GUARDED}),
            "post": operation("addFault", "faults", "Add a fault", {
                "201": {**ok("Added", schema("Fault")), "links": {"RemoveFault": {
                    "operationId": "removeFault", "parameters": {"fault_id": "$response.body#/id"}}}},
                "422": response("Unprocessable"), **JSON_BODY},
                requestBody=json_request(schema("FaultInput"), required=True, examples={
                    "provider_down": {"kind": "status", "status": 503, "site": "ameli"},
                    "slow": {"kind": "latency", "ms": [200, 800], "site": "franceconnect", "times": 3},
                    "sms_late": {"kind": "sms_delay", "seconds": 120},
                })),
            "delete": operation("clearFaults", "faults", "Clear every fault", {"204": no_content("Cleared"), **CHANGING}),
        },
        "/__mock__/faults/{fault_id}": {
            "delete": operation("removeFault", "faults", "Remove a fault", {
                "204": no_content("Removed"), "404": response("NotFound"), **CHANGING}, parameters=[FAULT_ID]),
        },
        "/__mock__/journal": {
            "get": operation("readJournal", "journal", "The sites' requests, oldest first", {
                "200": ok("The entries", {"type": "array", "items": schema("JournalEntry")}),
                "422": response("Unprocessable"), **GUARDED}, parameters=[
                query("site", string(enum=list(SITES)), "one site's requests"),
                query("path", string(pattern="^/"), "one path's requests"),
                query("method", string(), "one method's requests (any case)"),
                query("status", integer(0, 599), "the requests answered with this status"),
                query("persona", string(), "one persona's requests"),
                query("since", SINCE, "requests at or after this time (ISO 8601, with a zone)"),
                query("after", integer(0, 10**12), "requests after this entry id"),
                query("limit", integer(1, JOURNAL_CAPACITY), "the newest ones only (of those the other filters leave)"),
                query("static", string(pattern=BOOLEAN), "false or 0: without static files (/static/…) and icons "
                                                        "(/favicon.ico); true or 1 (the default): with them"),
            ]),
            "delete": operation("clearJournal", "journal", "Empty the journal", {"204": no_content("Emptied"), **CHANGING}),
        },
        "/__mock__/outbox": {
            "get": operation("readOutbox", "outbox", "Every SMS and mail sent, newest first (JSON, or a page for a browser)", {
                "200": ok("The messages; a page like a phone and a webmail when Accept prefers text/html",
                          {"type": "array", "items": schema("Message")}, html=True),
                "422": response("Unprocessable"), **GUARDED}, parameters=[
                query("to", string(), "one recipient's messages (phone or e-mail address)"),
                query("channel", string(enum=list(CHANNELS)), "one channel's messages"),
                query("since", SINCE, "messages sent at or after this time (ISO 8601, with a zone)"),
                query("after", integer(0, MAX_MESSAGE_ID), "messages newer than this id"),
            ]),
            "delete": operation("clearOutbox", "outbox", "Empty the outbox", {"204": no_content("Emptied"), **CHANGING}),
        },
        "/__mock__/outbox/latest": {
            "get": operation("latestMessage", "outbox", "The newest message to someone, waiting for it if asked", {
                "200": ok("The message", schema("Message")), "404": error("No message to them (after waiting)"),
                "422": response("Unprocessable"), **GUARDED}, parameters=[
                query("to", string(minLength=1), "the recipient (phone or e-mail address)", required=True),
                query("wait", {"type": "number", "minimum": 0, "maximum": MAX_WAIT_SECONDS},
                      "seconds to wait for a message to arrive"),
                query("after", integer(0, MAX_MESSAGE_ID), "a message newer than this id"),
                query("channel", string(enum=list(CHANNELS)), "by this channel"),
                query("since", SINCE, "sent at or after this time"),
            ]),
        },
        "/__mock__/scenarios": {
            "get": operation("listScenarios", "faults", "The named scenarios", {
                "200": ok("The scenarios", {"type": "array", "items": schema("Scenario")}), **GUARDED}),
        },
        "/__mock__/scenarios/{name}": {
            "post": operation("applyScenario", "faults", "Set a named scenario", {
                "201": ok("What it did", schema("ScenarioApplied")), "404": response("NotFound"), **CHANGING},
                parameters=[SCENARIO_NAME]),
        },
        "/__mock__/franceconnect/clients": {
            "get": operation("listFranceConnectClients", "franceconnect", "Applications registered with FranceConnect", {
                "200": ok("The clients, without their secrets", {"type": "array", "items": schema("Client")}), **GUARDED}),
            "post": operation("registerFranceConnectClient", "franceconnect", "Register an application with FranceConnect", {
                "201": {**ok("Registered", schema("RegisteredClient")), "links": client_links},
                "409": error("This client_id is registered already (PUT replaces it), or is Mon Compte's own"),
                "422": response("Unprocessable"), **JSON_BODY},
                requestBody=json_request(schema("ClientRegistration"), required=True, examples={"app": {
                    "client_id": "my-app", "client_secret": EXAMPLE_SECRET, "name": "My app",
                    "redirect_uris": ["http://127.0.0.1:5000/callback"]}})),
        },
        "/__mock__/franceconnect/clients/{client_id}": {
            "parameters": [CLIENT_ID],
            "get": operation("getFranceConnectClient", "franceconnect", "One application, without its secret", {
                "200": ok("The client", schema("DescribedClient")), "404": response("NotFound"), **GUARDED}),
            "put": operation("putFranceConnectClient", "franceconnect", "Register or replace an application", {
                "200": ok("Replaced", schema("RegisteredClient")),
                "201": {**ok("Registered", schema("RegisteredClient")), "links": client_links},
                "409": error("Mon Compte's own client"),
                "422": error("A field is missing or wrong, or the body's client_id is not the path's (field names it); "
                             "nothing changed"), **JSON_BODY},
                requestBody=json_request(schema("ClientReplacement"), required=True, examples={"app": {
                    "client_secret": EXAMPLE_SECRET, "name": "My app",
                    "redirect_uris": ["http://127.0.0.1:5000/callback"],
                    "post_logout_redirect_uris": ["http://127.0.0.1:5000/"]}})),
            "delete": operation("deleteFranceConnectClient", "franceconnect", "Unregister an application", {
                "204": no_content("Unregistered"), "404": response("NotFound"), "409": error("Mon Compte's own client"),
                **CHANGING}),
        },
        "/__mock__/franceconnect/providers": {
            "get": operation("listFranceConnectProviders", "franceconnect", "The identity providers on FranceConnect's chooser", {
                "200": ok("Each provider's flags now", {"type": "array", "items": schema("FcProvider")}), **GUARDED}),
        },
        "/__mock__/franceconnect/providers/{idp}": {
            "parameters": [IDP_ID],
            "put": operation("setFranceConnectProvider", "franceconnect", "Switch a provider off or on, hide or show it", {
                "200": ok("Its flags now", schema("FcProvider")), "404": response("NotFound"),
                "422": response("Unprocessable"), **JSON_BODY},
                requestBody=json_request(schema("FcProviderChange"), required=True,
                                         examples={"off": {"active": False}, "hidden": {"display": False}})),
        },
        "/__mock__/franceidentite": {
            "get": operation("franceIdentitePhone", "franceidentite", "The phone: logins waiting for approval (HTML)", {
                "200": ok("The page", html=True), **GUARDED},
                parameters=[query("fait", string(), "approved or refused: what was just done")]),
        },
        "/__mock__/franceidentite/pending": {
            "get": operation("listFranceIdentitePending", "franceidentite", "Logins waiting for approval", {
                "200": ok("Oldest first", {"type": "array", "items": schema("PendingLogin")}), **GUARDED}),
        },
        "/__mock__/franceidentite/approve": {
            "post": _phone_answer("approveFranceIdentiteLogin", "Approve a login in the app", schema("Approval"),
                                 schema("ApprovalForm")),
        },
        "/__mock__/franceidentite/refuse": {
            "post": _phone_answer("refuseFranceIdentiteLogin", "Refuse a login in the app", schema("Refusal"),
                                 schema("RefusalForm")),
        },
    }


def _phone_answer(operation_id: str, summary: str, body: Schema, form_body: Schema) -> Schema:
    """JSON in, JSON out; or the phone page's form, answered 303 to the page (or the page with the error)."""
    request = json_request(body, required=True)
    request["content"][FORM] = {"schema": form_body}
    return operation(operation_id, "franceidentite", summary, {
        "200": ok("Done (JSON)", schema("PhoneAnswer")),
        "303": see_other("Done (form): back to the phone page"),
        "404": error("No such persona, or no login with this code", html=True),
        "409": error("No login waiting, several waiting and no code, already answered or expired, or a persona "
                     "without France Identité", html=True),
        "422": error("A field is missing or wrong", html=True),
        **JSON_BODY,
    }, requestBody=request)


def build() -> dict[str, Any]:
    """The description, as plain JSON data of its own (no part shared with another build)."""
    return json.loads(json.dumps(_document()))


def _document() -> dict[str, Any]:
    from .client_page_api import client_page_paths  # it reads this module's helpers

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Mon Compte mock: control API",
            "version": "1",
            "description": (
                "How tests and people drive the mock, under /__mock__/ on every host of the mock. JSON in (sent as "
                "application/json) and out; bad input gets a 4xx with {\"error\", \"field\"} and changes nothing. The "
                "dashboard and the phone and outbox pages are HTML; their forms post "
                "application/x-www-form-urlencoded with the page's csrf_token. Any Host but the mock's own names gets "
                "421; a change (not GET) whose Origin is another site's gets 403."),
        },
        "tags": [{"name": name} for name in (
            "meta", "personas", "settings", "clock", "faults", "journal", "outbox", "franceconnect", "franceidentite",
            "dashboard")],
        "paths": {**api_paths(), **dashboard_paths(), **client_page_paths()},
        "components": {
            "schemas": schemas(),
            "responses": responses(),
            "headers": {
                "NoStore": {"required": True, "schema": string(pattern="no-store"),
                            "description": "The control API's answers hold passwords and codes: never cached"},
                "Location": {"required": True, "schema": string(), "description": "Where the page is"},
            },
        },
    }


if __name__ == "__main__":
    print(json.dumps(build(), indent=2, ensure_ascii=False))
