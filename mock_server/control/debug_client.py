"""The OpenID Connect client behind the hands-on client page (/__mock__/client).

A debugger rather than a relying party: it sends what the developer chose,
records every HTTP call it makes (secrets masked) and checks every answer
(the id_token's signature against FranceConnect's JWKS, iss, aud, exp, iat,
nonce, at_hash, acr, auth_time; userinfo's signature, iss, aud, sub), each
check a verdict with its reason. Nothing here raises on a wrong answer: a
broken answer is what a developer comes to see.

Server-to-server calls go through LoopbackAdapter (Python does not resolve
*.localhost), with the mock's upstream timeout. Times are the mock's clock,
which FranceConnect's tokens follow.
"""

from __future__ import annotations

import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode

import requests
from authlib.common.encoding import to_unicode
from authlib.oidc.core.util import create_half_hash
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .. import texts
from ..oidc.keys import ALGORITHMS

WORDS = texts.CLIENT_PAGE["details"]

# A response body is shown up to this many characters (a JWKS or an error page fits).
MAX_BODY = 20_000
# Parameters whose values are secrets of the client: shown masked.
SECRET_PARAMS = ("client_secret",)

PASS, FAIL, SKIP, INFO = "pass", "fail", "skip", "info"


def mask(value: str) -> str:
    """'s3cr3t-of-64-chars…' -> 's3cr••••••••' (its start, to tell two secrets apart)."""
    return value[:4] + "•" * 8 if len(value) > 8 else "•" * 8


def pretty(text: str) -> str:
    """A body as a person reads it: JSON indented, anything else as it came, cut if huge."""
    try:
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        pass
    return text if len(text) <= MAX_BODY else text[:MAX_BODY] + "\n…"


@dataclass
class Call:
    what: str  # "discovery", "token", "jwks", "userinfo"
    method: str
    url: str
    params: list[tuple[str, str]]  # as sent, secrets masked
    status: int | None = None
    content_type: str = ""
    body: str = ""
    duration_ms: float = 0.0
    problem: str | None = None  # no answer: timeout, refused connection…


@dataclass
class Check:
    name: str  # a key of texts.CLIENT_PAGE["checks"]
    verdict: str  # PASS, FAIL, SKIP or INFO
    detail: str = ""


@dataclass
class Decoded:
    """A compact JWT read without trusting it: its header and claims as they came."""

    raw: str
    header: dict[str, Any] | None = None
    claims: dict[str, Any] | None = None
    problem: str | None = None

    @classmethod
    def read(cls, raw: str) -> "Decoded":
        try:
            token = jws.extract_compact(raw.encode())
            claims = json.loads(token.payload)
        except (JoseError, ValueError, TypeError) as problem:
            return cls(raw, problem=f"{type(problem).__name__}: {problem}")
        if not isinstance(claims, dict):
            return cls(raw, header=dict(token.protected), problem=WORDS["not_an_object"])
        return cls(raw, header=dict(token.protected), claims=claims)

    def json(self, part: str) -> str:
        value = getattr(self, part)
        return json.dumps(value, indent=2, ensure_ascii=False) if value is not None else ""


@dataclass(frozen=True)
class Pending:
    """A sign-in sent from one browser, waiting for FranceConnect's answer."""

    browser: str
    state: str
    nonce: str
    code_verifier: str | None
    redirect_uri: str
    post_logout_redirect_uri: str
    authorization_url: str
    params: tuple[tuple[str, str], ...]
    acr_values: tuple[str, ...]
    max_age: int | None
    essential_claims: tuple[str, ...]


@dataclass
class Result:
    id: str
    pending: Pending
    response_params: list[tuple[str, str]]
    checks: list[Check] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    # Why the login stopped early: (key of texts.CLIENT_PAGE["reasons"], its fields), or None.
    stopped: tuple[str, dict[str, str]] | None = None
    token_answer: str = ""
    access_token: str = ""
    id_token: Decoded | None = None
    userinfo: Decoded | None = None
    userinfo_json: str = ""  # a userinfo answered as plain JSON
    end_session_endpoint: str | None = None
    logout_state: str | None = None

    @property
    def failures(self) -> int:
        return sum(check.verdict == FAIL for check in self.checks)

    def logout_params(self) -> list[tuple[str, str]]:
        if not (self.end_session_endpoint and self.id_token and self.logout_state):
            return []
        return [("id_token_hint", self.id_token.raw), ("state", self.logout_state),
                ("post_logout_redirect_uri", self.pending.post_logout_redirect_uri)]


@dataclass(frozen=True)
class Issuer:
    """Who the client talks to, and as whom."""

    issuer: str
    client_id: str
    client_secret: str
    now: Callable[[], int]  # the mock's clock, in seconds


def essential_claims(claims: Any) -> tuple[str, ...]:
    """The id_token claims a `claims` request parameter marks essential."""
    if not isinstance(claims, dict) or not isinstance(claims.get("id_token"), dict):
        return ()
    return tuple(name for name, rule in claims["id_token"].items()
                 if isinstance(rule, dict) and rule.get("essential") is True)


class DebugClient:
    def __init__(self, issuer: Issuer, http: requests.Session) -> None:
        self.issuer = issuer
        self.http = http
        # FranceConnect's keys as last read (or why they could not be), read again once
        # when a token names a kid they lack, as a certified client does (keys roll).
        self._jwks_uri = ""
        self._keys: KeySet | str = ""
        self._keys_read_again = False

    # HTTP, recorded ------------------------------------------------------------

    def _send(self, result: Result, what: str, method: str, url: str, *,
              data: dict[str, str] | None = None, bearer: str | None = None) -> requests.Response | None:
        shown = [(name, mask(value) if name in SECRET_PARAMS else value) for name, value in (data or {}).items()]
        if bearer is not None:
            shown.append(("Authorization", "Bearer " + mask(bearer)))
        call = Call(what, method, url, shown)
        result.calls.append(call)
        headers = {"Authorization": f"Bearer {bearer}"} if bearer is not None else {}
        started = time.perf_counter()
        try:
            response = self.http.request(method, url, data=data, headers=headers, allow_redirects=False)
        except requests.RequestException as problem:
            call.problem = f"{type(problem).__name__}: {problem}"
            return None
        finally:
            call.duration_ms = round((time.perf_counter() - started) * 1000, 1)
        call.status = response.status_code
        call.content_type = response.headers.get("Content-Type", "")
        call.body = pretty(response.text)
        return response

    def _json(self, response: requests.Response | None) -> dict[str, Any] | None:
        if response is None or response.status_code != 200:
            return None
        try:
            body = response.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    # The login --------------------------------------------------------------

    def finish(self, result: Result, args: dict[str, str]) -> Result:
        """From FranceConnect's redirect back to the decoded userinfo, every step checked."""
        pending = result.pending
        result.checks.append(Check("state", PASS, pending.state))
        if "iss" in args:
            same = args["iss"] == self.issuer.issuer
            result.checks.append(Check("iss_param", PASS if same else FAIL,
                                       args["iss"] if same else f"{args['iss']} ≠ {self.issuer.issuer}"))
        else:
            result.checks.append(Check("iss_param", INFO, WORDS["absent"]))
        if "error" in args:
            result.stopped = ("error", {"error": args["error"]})
            return result
        if not args.get("code"):
            result.stopped = ("no_code", {})
            return result
        metadata = self._json(self._send(result, "discovery", "GET",
                                         f"{self.issuer.issuer}/.well-known/openid-configuration"))
        if not metadata or not all(isinstance(metadata.get(name), str) for name in ("token_endpoint", "jwks_uri")):
            result.stopped = ("discovery", {})
            return result
        result.end_session_endpoint = metadata.get("end_session_endpoint") if isinstance(
            metadata.get("end_session_endpoint"), str) else None
        tokens = self._exchange(result, metadata["token_endpoint"], args["code"])
        if tokens is None:
            return result
        self._jwks_uri = metadata["jwks_uri"]
        self._keys = self._key_set(result)
        self._check_id_token(result, tokens)
        if isinstance(metadata.get("userinfo_endpoint"), str) and result.access_token:
            self._userinfo(result, metadata["userinfo_endpoint"])
        return result

    def _exchange(self, result: Result, endpoint: str, code: str) -> dict[str, Any] | None:
        pending = result.pending
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": pending.redirect_uri,
                "client_id": self.issuer.client_id, "client_secret": self.issuer.client_secret}
        if pending.code_verifier:
            data["code_verifier"] = pending.code_verifier
        response = self._send(result, "token", "POST", endpoint, data=data)
        tokens = self._json(response)
        if response is not None:
            result.token_answer = pretty(response.text)
        if tokens is None:
            result.checks.append(Check("token", FAIL, self._answer_summary(response, result.calls[-1])))
            result.stopped = ("token", {})
            return None
        result.checks.append(Check("token", PASS, "HTTP 200"))
        result.access_token = tokens.get("access_token") if isinstance(tokens.get("access_token"), str) else ""
        if not isinstance(tokens.get("id_token"), str):
            result.stopped = ("no_id_token", {})
            return None
        result.id_token = Decoded.read(tokens["id_token"])
        return tokens

    @staticmethod
    def _answer_summary(response: requests.Response | None, call: Call) -> str:
        if response is None:
            return call.problem or ""
        summary = f"HTTP {response.status_code}"
        try:
            body = response.json()
        except ValueError:
            return summary
        if isinstance(body, dict) and "error" in body:
            summary += f" {body['error']}"
            if body.get("error_description"):
                summary += f" — {body['error_description']}"
        return summary

    def _key_set(self, result: Result) -> KeySet | str:
        """FranceConnect's keys, or why they could not be read."""
        response = self._send(result, "jwks", "GET", self._jwks_uri)
        body = self._json(response)
        if body is None:
            return f"JWKS: {self._answer_summary(response, result.calls[-1])}"
        try:
            return KeySet.import_key_set(body)
        except (JoseError, ValueError, TypeError, KeyError) as problem:
            return f"JWKS: {type(problem).__name__}: {problem}"

    def _keys_for(self, result: Result, decoded: Decoded) -> KeySet | str:
        kid = (decoded.header or {}).get("kid")
        known = isinstance(self._keys, KeySet) and any(key.kid == kid for key in self._keys)
        if kid is not None and not known and not self._keys_read_again:
            self._keys_read_again = True
            self._keys = self._key_set(result)
        return self._keys

    @staticmethod
    def _verify(name: str, decoded: Decoded, keys: KeySet | str) -> Check:
        if isinstance(keys, str):
            return Check(name, SKIP, keys)
        if decoded.header is None:
            return Check(name, FAIL, decoded.problem or "")
        alg, kid = decoded.header.get("alg"), decoded.header.get("kid")
        if alg not in ALGORITHMS:
            return Check(name, FAIL, WORDS["algorithms_only"].format(alg=repr(alg), algorithms=", ".join(ALGORITHMS)))
        try:
            jwt.decode(decoded.raw, keys, algorithms=[alg])
        except (JoseError, ValueError, TypeError, KeyError) as problem:
            return Check(name, FAIL, f"alg {alg}, kid {kid!r}: {type(problem).__name__}: {problem}")
        return Check(name, PASS, f"alg {alg}, kid {kid!r}")

    def _check_id_token(self, result: Result, tokens: dict[str, Any]) -> None:
        decoded, pending, add = result.id_token, result.pending, result.checks.append
        assert decoded is not None
        add(self._verify("signature", decoded, self._keys_for(result, decoded)))
        claims = decoded.claims
        if claims is None:
            return
        now = self.issuer.now()
        add(self._equal("iss", claims.get("iss"), self.issuer.issuer))
        aud = claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        add(Check("aud", PASS if self.issuer.client_id in audiences and len(audiences) == 1
                  else FAIL, json.dumps(aud, ensure_ascii=False)))
        add(self._time("exp", claims.get("exp"), now, lambda exp: exp > now))
        add(self._time("iat", claims.get("iat"), now, lambda iat: iat <= now))
        add(self._equal("nonce", claims.get("nonce"), pending.nonce))
        add(self._at_hash(claims.get("at_hash"), tokens.get("access_token"), (decoded.header or {}).get("alg")))
        if pending.acr_values:
            acr = claims.get("acr")
            add(Check("acr", PASS if acr in pending.acr_values else FAIL,
                      f"acr {acr!r}, acr_values {' '.join(pending.acr_values)!r}"))
        else:
            add(Check("acr", SKIP, WORDS["no_acr_values"].format(acr=repr(claims.get("acr")))))
        add(self._auth_time(claims.get("auth_time"), pending.max_age, now))
        if pending.essential_claims:
            missing = [name for name in pending.essential_claims if name not in claims]
            add(Check("essential", FAIL if missing else PASS,
                      WORDS["missing"].format(names=", ".join(missing)) if missing
                      else ", ".join(pending.essential_claims)))

    @staticmethod
    def _time(name: str, value: Any, now: int, good: Callable[[int], bool]) -> Check:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return Check(name, FAIL, WORDS["bad_value"].format(name=name, value=repr(value)))
        return Check(name, PASS if good(int(value)) else FAIL,
                     WORDS["time"].format(name=name, value=int(value), now=now, delta=f"{int(value) - now:+d}"))

    @staticmethod
    def _equal(name: str, value: Any, expected: str) -> Check:
        same = isinstance(value, str) and hmac.compare_digest(value.encode(), expected.encode())
        return Check(name, PASS if same else FAIL, expected if same else f"{value!r} ≠ {expected!r}")

    @staticmethod
    def _at_hash(at_hash: Any, access_token: Any, alg: Any) -> Check:
        if not isinstance(access_token, str):
            return Check("at_hash", SKIP, WORDS["no_access_token"])
        if at_hash is None:
            return Check("at_hash", FAIL, WORDS["absent"])
        expected = create_half_hash(access_token, alg) if isinstance(alg, str) and alg[2:].isdigit() else None
        if expected is None:
            return Check("at_hash", SKIP, f"alg {alg!r}")
        expected = to_unicode(expected)
        return Check("at_hash", PASS if at_hash == expected else FAIL,
                     expected if at_hash == expected else f"{at_hash!r} ≠ {expected!r}")

    @staticmethod
    def _auth_time(auth_time: Any, max_age: int | None, now: int) -> Check:
        known = isinstance(auth_time, (int, float)) and not isinstance(auth_time, bool)
        if max_age is None:
            if not known:
                return Check("auth_time", SKIP, WORDS["no_max_age"])
            return Check("auth_time", INFO, WORDS["auth_time_age"].format(age=now - int(auth_time)))
        if not known:
            return Check("auth_time", FAIL, WORDS["auth_time_required"].format(value=repr(auth_time)))
        age = now - int(auth_time)
        return Check("auth_time", PASS if age <= max_age else FAIL,
                     WORDS["auth_time_max_age"].format(age=age, max_age=max_age))

    def _userinfo(self, result: Result, endpoint: str) -> None:
        add = result.checks.append
        response = self._send(result, "userinfo", "GET", endpoint, bearer=result.access_token)
        if response is None or response.status_code != 200:
            add(Check("userinfo", FAIL, self._answer_summary(response, result.calls[-1])))
            result.stopped = ("userinfo", {})
            return
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        add(Check("userinfo", PASS, f"HTTP 200, {content_type}"))
        if content_type != "application/jwt":
            result.userinfo_json = pretty(response.text)
            add(Check("userinfo_signature", FAIL, WORDS["not_signed"].format(content_type=content_type or "?")))
            return
        decoded = result.userinfo = Decoded.read(response.text.strip())
        add(self._verify("userinfo_signature", decoded, self._keys_for(result, decoded)))
        if decoded.claims is None:
            return
        add(self._equal("userinfo_iss", decoded.claims.get("iss"), self.issuer.issuer))
        add(self._equal("userinfo_aud", decoded.claims.get("aud"), self.issuer.client_id))
        id_claims = result.id_token.claims if result.id_token and result.id_token.claims else {}
        sub = id_claims.get("sub")
        add(self._equal("userinfo_sub", decoded.claims.get("sub"), sub) if isinstance(sub, str)
            else Check("userinfo_sub", SKIP, WORDS["no_sub"]))


def authorization_url(endpoint: str, params: list[tuple[str, str]]) -> str:
    return f"{endpoint}?{urlencode(params)}"
