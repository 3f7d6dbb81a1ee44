"""Hostile input for the property-based suite (tests/test_hostile_*.py).

What is here: the strategies (every kind of hostile
value the suite sends), the clients that send it through the whole WSGI
dispatcher (each site by its Host header, the control API on 127.0.0.1), and the
properties every answer must keep:

- never a 5xx, except the OpenID Connect layer's documented error pages
  (mock_server/oidc/provider.py, mock_server/franceconnect/interaction.py: an
  unknown client is HTTP 500 Y030106, an unregistered redirect URI 500 Y030118,
  a failing identity provider 502 Y020001/Y020026 or 504 Y020004, each on
  the site's own error page with its code);
- never the hostile value echoed unescaped in an HTML page (the payloads carry
  markers that only survive if escaping failed);
- never a redirect off the mock's own sites (*.localhost, localhost, 127.0.0.1);
- personas created before a barrage still exist unchanged and still sign in
  (`personas_survive`).

The Hypothesis profiles (bounded by default, HYPOTHESIS_PROFILE=fuzz for a long run)
are in tests/hypothesis_profiles.py.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from hypothesis import strategies as st
from markupsafe import escape
from werkzeug.test import Client, TestResponse

from mock_server import texts
from mock_server.config import PROVIDER_IDS
from mock_server.sites import SiteDispatcher

from . import hypothesis_profiles  # noqa: F401 - loads the profile HYPOTHESIS_PROFILE names
from .conftest import CSRF_FIELD


# Hostile values ------------------------------------------------------------------

# Each payload carries a marker that can only reach a page unescaped if
# escaping failed (see UNESCAPED below): a raw "<" or quote, or 7*7 evaluated.
HTML_INJECTIONS = (
    "<script>alert('hx')</script>",
    "\"><img src=x onerror=alert('hx')>",
    "'><svg/onload=alert('hx')>",
    "\" onfocus=\"alert('hx')\" autofocus x=\"",
    "' onfocus='alert(1)' autofocus x='",
    "</textarea></title><script>alert('hx')</script>",
    "<iframe srcdoc=\"<script>alert('hx')</script>\">",
    "javascript:alert('hx')",
    "JaVaScRiPt:alert('hx')",
    "data:text/html,<script>alert('hx')</script>",
)
TEMPLATE_INJECTIONS = (
    "hx{{7*7}}hx", "hx${7*7}hx", "hx#{7*7}hx", "hx<%= 7*7 %>hx", "hx{{ 7*7 }}hx",
    "{{config}}", "{{ self.__init__.__globals__ }}", "{% for x in range(9**9) %}{% endfor %}",
    "{0.__class__}", "%s%s%s%n", "{}", "{0}{1}",
)
SQL_INJECTIONS = ("' OR '1'='1", "1; DROP TABLE personas;--", "\" OR 1=1 --", "admin'--", "' UNION SELECT NULL--")
CONFUSABLES = (
    "Ｐ１２３４５６７８９",  # fullwidth
    "Р123456789",  # Cyrillic Er
    "ℙ123456789",
    "１８４０５７５１２３４５６",  # fullwidth digits (str.isdigit() is true for them)
    "١٨٤٠٥٧٥١٢٣٤٥٦",  # Arabic-Indic digits
    "1840575123456\u0336",  # combining long stroke
    "18405\u200b75123456",  # zero-width space
    "2Ａ", "２A", "ß", "ﬃ", "İ", "\u212a", "e\u0301", "\u0301" * 40, "\u202eabc", "\ufeff", "Ⅻ", "²³",
    "\U0010ffff", "🂡👩\u200d👩\u200d👧", "\u3000", "\u00a0\u202f",
)
CONTROL_CHARACTERS = (
    "\x00", "a\x00b", "\r\n", "\r\nSet-Cookie: hx=1", "\x1b[31m", "\x7f", "\x0b\x0c", "\u2028\u2029",
    "\t", "\x08" * 10, "".join(map(chr, range(32))),
)
NUMBERS = (
    "9" * 5000, "-" + "9" * 5000, "1e309", "-1e309", "NaN", "nan", "inf", "-inf", "Infinity",
    "-1", "0", "-0", "0" * 50 + "1", "1.5", "1_000", "0x1F", "+1", " 1", "1 ", "١", "１", "²",
    "1e-400", "4294967296", str(2**64), str(-(2**63)), "1" * 30,
)
URLS = (
    "//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/", "http:evil.example",
    "/\t/evil.example", " //evil.example", "/%2F%2Fevil.example", "http://[::1", "http://a:99999/",
    "//evil.example@moncompte.localhost", "http://moncompte.localhost.evil.example/", "/..//evil.example",
    "/%0d%0aSet-Cookie:hx=1", "\x00//evil.example", "////evil.example", "/\u3000/evil.example",
    "/%5Cevil.example", "https:/\\evil.example", "http://127.0.0.1.evil.example/", "/\r\n//evil.example",
    "http://user:pass@evil.example/", "file:///etc/passwd", "../../../../etc/passwd", "%2e%2e%2f%2e%2e%2f",
)
# Pieces of a raw query string or form body that no browser would send.
RAW_PIECES = (
    "%ff%fe", "%ff", "%c0%af", "%ed%a0%80", "%", "%zz", "%%", "%00", "%0a", "&&&", "=", "==", "&=&",
    "a=1&a=2", "a[]=1", "a[b]=1", ";", "+", "%2B", "\xff",
)
HOSTS = (
    "evil.example", "moncompte.localhost.evil.example", "evil.example:80", "localhost:99999", "[::1",
    "127.0.0.1:abc", "", " ", "ｍoncompte.localhost", "MONCOMPTE.LOCALHOST", "moncompte.localhost.",
    "moncompte.localhost:0", ".localhost", "x" * 5000 + ".localhost", "inconnu.localhost",
    "moncompte.localhost@evil.example", "franceconnect.localhost:80:80", "[::1]:80", "127.0.0.1",
)
ORIGINS = ("http://evil.example", "null", "http://moncompte.localhost.evil.example", "file://", "x" * 3000,
           "http://127.0.0.1:1", "\x00")

_CATALOGUES = (HTML_INJECTIONS + TEMPLATE_INJECTIONS + SQL_INJECTIONS + CONFUSABLES + CONTROL_CHARACTERS
               + NUMBERS + URLS)


def huge_strings() -> st.SearchStrategy[str]:
    """5 KB to 70 KB: under and over the sites' 64 KiB body limit. `a.` repeated
    is the worst case of a backtracking e-mail pattern."""
    return st.builds(
        lambda chunk, size: (chunk * (size // len(chunk) + 1))[:size],
        st.sampled_from(["A", "9", "é", "a.", "@a.", "\x00", "<script>alert('hx')</script>", "%ff", "𝔘"]),
        st.sampled_from([5_000, 30_000, 70_000]),
    )


def hostile_text(*, huge: bool = True) -> st.SearchStrategy[str]:
    """One hostile value: a catalogue entry, a huge string, random text, or a mix of them."""
    branches = [
        st.sampled_from(_CATALOGUES),
        st.text(max_size=40),
        st.builds("".join, st.lists(st.one_of(st.sampled_from(_CATALOGUES), st.text(max_size=6)), max_size=4)),
    ]
    if huge:
        branches.append(huge_strings())
    return st.one_of(*branches)


def hostile_numbers() -> st.SearchStrategy[str]:
    """Numbers as a query parameter or form field carries them: absurd ones."""
    return st.one_of(st.sampled_from(NUMBERS), st.integers().map(str), st.floats().map(repr))


def near(valid: str) -> st.SearchStrategy[str]:
    """`valid` with a hostile piece inserted somewhere: deep enough to pass the first checks."""
    return st.builds(lambda piece, at: valid[:at] + piece + valid[at:],
                     st.one_of(st.sampled_from(CONFUSABLES + CONTROL_CHARACTERS), st.text(max_size=3)),
                     st.integers(0, len(valid)))


def raw_query() -> st.SearchStrategy[str]:
    """A raw query string: invalid percent-encodings, duplicates, empty names."""
    pair = st.builds(lambda name, value: f"{name}={value}",
                     st.one_of(st.sampled_from(["next", "state", "to", "a", ""]), st.sampled_from(RAW_PIECES)),
                     st.one_of(st.sampled_from(RAW_PIECES), hostile_text(huge=False).map(quote)))
    return st.builds("&".join, st.lists(st.one_of(pair, st.sampled_from(RAW_PIECES)), min_size=1, max_size=5))


# JSON, written by hand: json.dumps cannot write NaN-less huge ints, duplicate
# keys, lone surrogates or 2,000 levels of nesting.

DEEP = 10_000  # levels of nesting: still under the 64 KiB body limit
RAW_JSON_LITERALS = (
    "9" * 5000, "-" + "9" * 5000, "1e309", "-1e309", "NaN", "Infinity", "-Infinity", "1e-400", "-0", "0",
    "-1", "1.5", "1E400", "true", "false", "null", "[]", "{}", '""', '"\\u0000"', '"\\ud800"', '"\\udfff x"',
    "[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP, "[" * 999 + "]" * 999, "[1,]", "'x'",
)


# Known ways to break a JSON endpoint, tried first by the tests as explicit examples
# (a bounded run of random examples might not draw them).
# Deeper than Python's recursion limit, even the raised one Hypothesis runs tests under.
DEEP_JSON = "[" * 20_000 + "]" * 20_000
HUGE_INT = "9" * 5000  # more digits than int() converts (4,300)
LONE_SURROGATE = '"\\ud800"'  # valid JSON, not encodable as UTF-8
BAD_IPV6_URL = "http://[::1"  # urlsplit raises ValueError
# Backtracking: a `[^@\s]+@[^@\s]+\.[^@\s]+` pattern tries every dot before failing at the end.
QUADRATIC_EMAIL = "a@" + "." * 30_000 + "@"


def json_call(**members: str) -> dict[str, Any]:
    """An explicit JSON call: `members` are raw JSON texts."""
    body = "{" + ",".join(f"{json.dumps(name)}:{raw}" for name, raw in members.items()) + "}"
    return {"body": body.encode(), "content_type": "application/json"}


def json_scalars() -> st.SearchStrategy[str]:
    """One JSON value as text: absurd numbers, wrong types, hostile strings, deep nesting."""
    return st.one_of(
        st.sampled_from(RAW_JSON_LITERALS),
        hostile_text(huge=False).map(json.dumps),
        st.integers().map(str),
        st.lists(hostile_text(huge=False), max_size=3).map(json.dumps),
        st.dictionaries(hostile_text(huge=False), st.integers(), max_size=2).map(json.dumps),
    )


def json_objects(fields: Sequence[str], values: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    """A JSON object as text, keys mostly the endpoint's own (duplicates allowed)."""
    values = values if values is not None else json_scalars()
    key = st.one_of(st.sampled_from(tuple(fields)), hostile_text(huge=False)).map(json.dumps)
    members = st.lists(st.tuples(key, values), max_size=4)
    return members.map(lambda pairs: "{" + ",".join(f"{k}:{v}" for k, v in pairs) + "}")


def json_bodies(fields: Sequence[str], values: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[bytes]:
    """A request body for a JSON endpoint: mostly objects of its fields, sometimes anything."""
    return st.one_of(
        json_objects(fields, values).map(str.encode),
        json_objects(fields, values).map(lambda text: text.encode()),
        json_scalars().map(str.encode),
        st.sampled_from([b"", b"{", b"\xff\xfe{}", b'{"a": "\xff"}', b"\x00", b"{}" * 1000,
                         b'{"a":1}{"b":2}', b"\xef\xbb\xbf{}", "{}".encode("utf-16")]),
        huge_strings().map(lambda text: json.dumps({"a": text}).encode()),
    )


def json_with_values(fields: Mapping[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[bytes]:
    """A JSON object whose named fields take the given (plausible) values, some replaced by hostile ones."""
    def encode(values: dict[str, Any], hostile: dict[str, str]) -> bytes:
        members = [f"{json.dumps(name)}:{json.dumps(value)}" for name, value in values.items() if name not in hostile]
        members += [f"{json.dumps(name)}:{raw}" for name, raw in hostile.items()]
        return ("{" + ",".join(members) + "}").encode()

    return st.builds(encode, st.fixed_dictionaries({}, optional=dict(fields)),
                     st.dictionaries(st.sampled_from(tuple(fields)), json_scalars(), max_size=2))


def form_pairs(fields: Sequence[str], values: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Form fields (a name may come twice, unknown names too), values hostile."""
    values = values if values is not None else hostile_text()
    name = st.one_of(st.sampled_from(tuple(fields)), hostile_text(huge=False))
    return st.lists(st.tuples(name, values), max_size=5)


def urlencode_pairs(pairs: Iterable[tuple[str, str]], raw: Sequence[str] = ()) -> bytes:
    """A form body as a browser writes it (UTF-8, percent-encoded), with raw pieces appended."""
    encoded = [f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in pairs]
    return "&".join([*encoded, *raw]).encode("latin-1", "replace")


def jwts() -> st.SearchStrategy[str]:
    """Tokens that look like JWTs: hostile headers and payloads, garbage signatures."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    headers = st.sampled_from([
        b"[]", b"1", b"null", b'{"alg":1}', b'{"alg":"none"}', b'{"alg":"ES256","kid":[1]}', b'{"alg":"HS256"}',
        b'{"alg":"ES256","crit":["x"]}', b'{"alg":"ES256","b64":false}', b'{"alg":"ES256","zip":"DEF"}',
        b'{"alg":"RS256","jku":"http://evil.example/jwks"}', b"\xff\xfe", b'{"alg":"ES256"}',
    ])
    payloads = st.one_of(st.sampled_from([b"[]", b"\xff", b"{}", b'{"iss":1}']),
                         hostile_text(huge=False).map(lambda text: json.dumps({"aud": text}).encode()))
    token = st.builds(lambda h, p, s: f"{b64(h)}.{b64(p)}.{s}", headers, payloads,
                      st.sampled_from(["", "sig", "!!!", "a" * 400]))
    return st.one_of(token, hostile_text(), st.sampled_from(["", ".", "..", "...", "a.b", "a.b.c.d.e"]))


def header_value(value: str) -> str:
    """What an HTTP client can put in a header: no line break (it would end the header)."""
    return value.replace("\r", "").replace("\n", "")


def basic_auth_headers() -> st.SearchStrategy[str]:
    """Authorization headers: malformed Basic, hostile Bearer, unknown schemes."""
    def basic(raw: bytes) -> str:
        return "Basic " + base64.b64encode(raw).decode()

    return st.one_of(
        hostile_text(huge=False).map(lambda text: basic(text.encode("utf-8", "replace"))),
        st.sampled_from(["Basic", "Basic ", "Basic !!!!", "Basic =", basic(b"\xff\xfe:\xff"), basic(b"no-colon"),
                         basic(b":"), basic(b"%ff:%fe"), "Bearer", "Bearer ", "Digest x", "basic " + "A" * 5000,
                         "Bearer \x00", "Negotiate YII="]),
        hostile_text(huge=False).map(lambda text: "Bearer " + text),
        jwts().map(lambda token: "Bearer " + token),
    ).map(header_value)


def drop_real_waits(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A `wait=` that parses to 0 < seconds <= 10 is a real wait, not hostile input: left out."""
    def real_wait(value: str) -> bool:
        try:
            seconds = float(value)
        except ValueError:
            return False
        return 0 < seconds <= 10

    return values.filter(lambda value: not real_wait(value))


# Properties ------------------------------------------------------------------------

OIDC_SITES = ("franceconnect", *PROVIDER_IDS)
# The OpenID Connect layer's 5xx that are its documented error pages, by status.
DOCUMENTED_5XX = {500: ("Y030106", "Y030118"), 502: ("Y020001", "Y020026"), 504: ("Y020004",)}
# As the error pages render it, escaped (its no-break space before ":" included).
ERROR_CODE_LINE = str(escape(texts.FRANCECONNECT["error_code"]))
# What can only be in a page if a hostile value reached it unescaped.
UNESCAPED = re.compile(
    r"<script>alert\(|<img src=x onerror=|<svg/onload=|\" onfocus=\"alert|' onfocus='alert|<iframe srcdoc="
    r"|hx49hx|(?:href|src|action|formaction)\s*=\s*[\"']?\s*(?:javascript:|data:text/html)",
    re.IGNORECASE,
)
OUR_HOSTS = re.compile(r"(?:[a-z0-9-]+\.)*localhost|127\.0\.0\.1", re.IGNORECASE)


def text_of(response: TestResponse) -> str:
    return response.get_data().decode("utf-8", "replace")


def describe(response: TestResponse) -> str:
    request = response.request
    return (f"{request.method} {request.host}{request.full_path.rstrip('?')[:300]} -> {response.status}"
            f" ({response.mimetype})\n{text_of(response)[:1500]}")


def is_documented_error_page(response: TestResponse, site: str | None) -> bool:
    """FranceConnect's (or an identity provider's) own error page with one of its 5xx codes."""
    codes = DOCUMENTED_5XX.get(response.status_code, ())
    html = text_of(response)
    return (site in OIDC_SITES and response.mimetype == "text/html"
            and any(ERROR_CODE_LINE.format(code=code) in html for code in codes))


def location_target(location: str, base: str) -> tuple[str, str]:
    """(scheme, host) a browser would go to for this Location, resolved against `base`.

    Browsers drop leading blanks and C0 controls, remove tabs and new lines
    anywhere, and take a backslash for a slash: so do we, before resolving."""
    cleaned = location.lstrip("".join(map(chr, range(33))))
    cleaned = re.sub(r"[\t\n\r]", "", cleaned).replace("\\", "/")
    target = urlsplit(urljoin(base, cleaned))
    return target.scheme.lower(), (target.hostname or "")


def assert_handled(response: TestResponse, site: str | None) -> None:
    """The three properties of any answer to hostile input."""
    status = response.status_code
    assert status < 500 or is_documented_error_page(response, site), f"5xx: {describe(response)}"
    if response.mimetype == "text/html":
        found = UNESCAPED.search(text_of(response))
        assert found is None, f"unescaped echo {found.group(0)!r}: {describe(response)}"
    location = response.headers.get("Location")
    if location is not None:
        base = f"http://{site}.localhost/" if site else "http://127.0.0.1/"
        scheme, host = location_target(location, base)
        assert scheme in ("http", "https") and OUR_HOSTS.fullmatch(host), \
            f"redirect off the mock's sites, to {location!r}: {describe(response)}"


# Clients -------------------------------------------------------------------------


def csrf_of(response: TestResponse) -> str:
    match = CSRF_FIELD.search(text_of(response))
    assert match, f"no CSRF token: {describe(response)}"
    return match.group(1) or match.group(2)


class Browser:
    """A browser on one site, through the whole dispatcher: the site's Host
    header (`moncompte.localhost`), its own cookie jar. Every answer is checked
    with `assert_handled`."""

    def __init__(self, app: SiteDispatcher, site: str) -> None:
        self.client = Client(app)
        self.site = site
        self.base_url = f"http://{site}.localhost"

    def open(self, method: str, path: str, **options: Any) -> TestResponse:
        options.setdefault("base_url", self.base_url)
        response = self.client.open(path, method=method, **options)
        assert_handled(response, self.site)
        return response

    def get(self, path: str, **options: Any) -> TestResponse:
        return self.open("GET", path, **options)

    def post(self, path: str, **options: Any) -> TestResponse:
        return self.open("POST", path, **options)

    def post_form(self, path: str, pairs: Iterable[tuple[str, str]], raw: Sequence[str] = (),
                  **options: Any) -> TestResponse:
        return self.post(path, data=urlencode_pairs(pairs, raw),
                         content_type="application/x-www-form-urlencoded", **options)

    def csrf(self, path: str) -> str:
        return csrf_of(self.get(path))


class ControlAPI:
    """The control API on 127.0.0.1; valid calls say they are JSON."""

    HOST = "127.0.0.1"

    def __init__(self, app: SiteDispatcher) -> None:
        self.client = Client(app)

    def open(self, method: str, path: str, *, body: bytes | None = None, json_body: Any = None,
             content_type: str | None = "application/json", headers: Mapping[str, str] | None = None,
             **options: Any) -> TestResponse:
        data = json.dumps(json_body).encode() if json_body is not None else body
        all_headers = {"Host": self.HOST, **(headers or {})}
        if data is not None and content_type is not None:
            all_headers["Content-Type"] = content_type
        response = self.client.open(path, method=method, data=data, headers=all_headers, **options)
        assert_handled(response, None)
        return response

    def json(self, method: str, path: str, expect: int = 200, **options: Any) -> Any:
        response = self.open(method, path, **options)
        assert response.status_code == expect, describe(response)
        return response.get_json()


# Personas that must survive a barrage ---------------------------------------------


def sign_in(app: SiteDispatcher, persona: Mapping[str, Any]) -> None:
    """Sign in through Mon Compte's login page, and see the account space."""
    browser = Browser(app, "moncompte")
    data = {"csrf_token": browser.csrf("/connexion"), "password": persona["password"]}
    if persona["nir"]:
        data["nir"] = persona["nir"]
    else:
        data.update(provisional="y", provisional_id=persona["provisional_id"])
    response = browser.post("/connexion", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/mon-compte/", describe(response)
    assert browser.get("/mon-compte/").status_code == 200


@contextmanager
def personas_survive(app: SiteDispatcher) -> Iterator[list[dict[str, Any]]]:
    """Personas created before the barrage: afterwards, unchanged in GET
    /__mock__/personas, and each signs in with its password."""
    api = ControlAPI(app)
    created = [api.json("POST", "/__mock__/personas", expect=201, json_body=body)
               for body in ({}, {"provisional": True})]
    yield created
    # A fault the barrage set is the simulation doing its job (an HTTP 503 on
    # every site...), not a defect: cleared before signing in.
    api.json("DELETE", "/__mock__/faults", expect=204)
    listed = {persona["id"]: persona for persona in api.json("GET", "/__mock__/personas")}
    for persona in created:
        assert listed.get(persona["id"]) == persona, f"persona {persona['id']} changed or gone"
        sign_in(app, persona)
