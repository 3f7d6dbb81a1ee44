"""A small service that lets people sign in with FranceConnect.

An example of an application outside the project: it knows FranceConnect only
by its issuer URL and the client_id/client_secret it was registered with, and
speaks OpenID Connect through pyoidc (the `oic` package). Pointed at the mock
FranceConnect (`make serve`) it works as it would against FranceConnect's
integration platform.

    FC_ISSUER=http://franceconnect.localhost:8765/api/v2 \\
    FC_CLIENT_ID=mon-service FC_CLIENT_SECRET=... \\
    APP_BASE_URL=http://localhost:5000 \\
    python examples/relying_party/app.py

Or, from Python: create_app(issuer, client_id, client_secret, base_url, session=None).

Its own tests (tests/) run on the mock FranceConnect through the pytest plugin the
mock's project installs (pytest_franceconnect_mock), without a browser.

Pages: "/" (the FranceConnect button, or who is signed in), "/callback" (the
redirect URI: code → tokens → verified id_token → signed userinfo), "/logout"
(FranceConnect's end_session_endpoint, then back to "/").
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from flask import Flask, redirect, render_template_string, request, url_for
from flask import session as browser_session  # create_app's `session` is the HTTP one
from oic.oauth2.message import ErrorResponse
from oic.oic import Client
from oic.oic.message import AccessTokenResponse, AuthorizationResponse, EndSessionRequest, OpenIDSchema, verify_id_token
from oic.utils.authn.client import CLIENT_AUTHN_METHOD
from oic.utils.keyio import KeyBundle, KeyJar, UpdateFailed
from oic.utils.settings import OicClientSettings
from requests.adapters import HTTPAdapter

# What the service asks FranceConnect for: the identity pivot and the e-mail address.
SCOPE = "openid given_name family_name birthdate gender birthplace birthcountry email"
ACR = "eidas1"
CLAIM_LABELS = {
    "given_name": "Prénom(s)",
    "family_name": "Nom de naissance",
    "birthdate": "Date de naissance",
    "gender": "Sexe",
    "birthplace": "Lieu de naissance (code INSEE)",
    "birthcountry": "Pays de naissance (code INSEE)",
    "email": "Adresse électronique",
    "sub": "Identifiant FranceConnect (sub)",
}


GENDERS = {"female": "femme", "male": "homme"}


def shown(name: str, value: Any) -> str:
    """A claim as a French reader reads it: "femme", "14/12/1965"."""
    if name == "gender":
        return GENDERS.get(value, value)
    if name == "birthdate" and isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    return value


class LoginError(Exception):
    """A sign-in that cannot be accepted, with what to tell the person."""

    def __init__(self, title: str, error: str, description: str = "") -> None:
        super().__init__(f"{error}: {description}")
        self.title, self.error, self.description = title, error, description


# HTTP --------------------------------------------------------------------------


class LocalhostAdapter(HTTPAdapter):
    """Sends *.localhost requests to 127.0.0.1 (Host header kept).

    Only needed if your system does not resolve *.localhost (browsers do by
    themselves, Python's resolver does not everywhere)."""

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url)
        if parts.hostname and (parts.hostname == "localhost" or parts.hostname.endswith(".localhost")):
            request.headers["Host"] = parts.netloc
            port = parts.port or (443 if parts.scheme == "https" else 80)
            request.url = urlunsplit(parts._replace(netloc=f"127.0.0.1:{port}"))
        return super().send(request, **kwargs)


def _causes(error: BaseException):
    """The error and what caused it, down the chain (requests wraps urllib3, which wraps socket)."""
    seen: set[int] = set()
    stack: list[Any] = [error]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack += [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]


def unreachable(error: requests.RequestException) -> LoginError:
    """What to tell the person when the service's back end could not reach FranceConnect."""
    request = getattr(error, "request", None)
    # LocalhostAdapter sends *.localhost to 127.0.0.1: the Host header keeps the name asked for.
    netloc = (request.headers.get("Host") or urlsplit(request.url).netloc) if request is not None else "FranceConnect"
    host = urlsplit(f"//{netloc}").hostname or netloc
    title = "FranceConnect ne répond pas."
    if any(isinstance(cause, socket.gaierror) or type(cause).__name__ == "NameResolutionError"
           for cause in _causes(error)):
        why = "ce système ne résout pas les noms en .localhost, que les navigateurs résolvent d'eux-mêmes" \
            if host.endswith(".localhost") else "ce nom est inconnu de ce système"
        remedies = ("relancez-le avec RESOLVE_LOCALHOST=1, ajoutez «\u00a0127.0.0.1 " + host + "\u00a0» à /etc/hosts"
                    if host.endswith(".localhost") else "ajoutez ce nom à /etc/hosts")
        return LoginError(title, "name_not_resolved",
                          f"Ce service n'a pas trouvé l'adresse de {host} ({why})\u00a0: {remedies}, ou démarrez le "
                          f"simulateur avec --domain suivi d'un nom que ce système résout.")
    if isinstance(error, requests.Timeout):
        return LoginError(title, "timeout", f"{netloc} n'a pas répondu à temps\u00a0: le simulateur est-il surchargé\u00a0?")
    if isinstance(error, requests.ConnectionError):
        return LoginError(title, "connection_refused",
                          f"Ce service n'a pas pu se connecter à {netloc}\u00a0: le simulateur est-il démarré, sur ce port\u00a0?")
    return LoginError(title, "unreachable", f"{netloc}\u00a0: {type(error).__name__}")


def localhost_session() -> requests.Session:
    """A requests.Session for systems that do not resolve *.localhost."""
    http = requests.Session()
    http.mount("http://", LocalhostAdapter())
    http.mount("https://", LocalhostAdapter())
    return http


def keyjar_using(http: requests.Session) -> KeyJar:
    """A pyoidc KeyJar that fetches the provider's jwks_uri with `http`
    (pyoidc's own KeyBundle calls requests.get directly)."""

    class SessionKeyBundle(KeyBundle):
        def do_remote(self) -> bool:
            if self.source is None:
                return False
            try:
                response = http.get(self.source, timeout=self.timeout)
                response.raise_for_status()
                jwks = response.json()
            except (requests.RequestException, ValueError) as error:
                raise UpdateFailed(f"{self.source}: {error}") from error
            if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
                raise UpdateFailed(f"{self.source} is not a JWKS")
            self.imp_jwks = jwks
            self.do_keys(jwks["keys"])
            self.time_out = time.time() + self.cache_time
            self.last_updated = time.time()
            return True

    return KeyJar(keybundle_cls=SessionKeyBundle)


# OpenID Connect ------------------------------------------------------------------


class FranceConnect:
    """The service's OpenID Connect client of FranceConnect (pyoidc)."""

    def __init__(self, issuer: str, client_id: str, client_secret: str, redirect_uri: str,
                 http: requests.Session | None = None, timeout: float = 10.0) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id, self.client_secret, self.redirect_uri = client_id, client_secret, redirect_uri
        self.http = http or requests.Session()
        self.timeout = timeout
        self._client: Client | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> Client:
        # Discovery at first use: FranceConnect need not be up when the service starts.
        with self._lock:
            if self._client is None:
                client = Client(client_id=self.client_id, client_authn_method=CLIENT_AUTHN_METHOD,
                                keyjar=keyjar_using(self.http),
                                settings=OicClientSettings(requests_session=self.http, timeout=self.timeout))
                client.client_secret = self.client_secret
                client.redirect_uris = [self.redirect_uri]
                client.provider_config(self.issuer)
                self._client = client
            return self._client

    def authorization_url(self, state: str, nonce: str) -> str:
        url, _, _, _ = self.client.authorization_request_info(request_args={
            "response_type": "code", "scope": SCOPE, "redirect_uri": self.redirect_uri,
            "state": state, "nonce": nonce, "acr_values": ACR,
        })
        return url

    def finish(self, query: str, state: str, nonce: str) -> dict[str, Any]:
        """The redirect back (its query string) → verified id_token and userinfo."""
        client = self.client
        try:
            answer = client.parse_response(AuthorizationResponse, info=query, sformat="urlencoded")
            if answer.get("state") != state:
                raise LoginError("Réponse de FranceConnect inattendue.", "invalid_state",
                                 "le paramètre state ne correspond pas à cette connexion")
            if isinstance(answer, ErrorResponse):  # access_denied: the person went back, or refused
                raise LoginError("La connexion avec FranceConnect n'a pas abouti.", answer["error"],
                                 answer.get("error_description", ""))
            tokens = client.do_access_token_request(
                state=state, request_args={"code": answer["code"], "redirect_uri": self.redirect_uri},
                authn_method="client_secret_post")
            if not isinstance(tokens, AccessTokenResponse) or "id_token" not in tokens:
                raise LoginError("FranceConnect a refusé l'échange du code.", tokens.get("error", "invalid_response"),
                                 tokens.get("error_description", ""))
            # pyoidc has checked the id_token's signature (JWKS), iss, aud, exp and iat; check the
            # nonce, the eIDAS level and at_hash (pyoidc checks at_hash only when asked) here.
            id_token = verify_id_token(
                {"id_token": tokens["id_token_jwt"], "access_token": tokens["access_token"]}, check_hash=True,
                keyjar=client.keyjar, iss=self.issuer, client_id=self.client_id)
            if id_token.get("nonce") != nonce:
                raise LoginError("Réponse de FranceConnect inattendue.", "invalid_nonce",
                                 "le nonce du jeton d'identité ne correspond pas à cette connexion")
            if id_token.get("acr") != ACR:
                raise LoginError("Niveau d'authentification insuffisant.", "invalid_acr",
                                 f"acr {id_token.get('acr')!r}, {ACR!r} attendu")
            # The userinfo answer is a JWT signed by FranceConnect: pyoidc checks its signature
            # and that its sub is the id_token's.
            userinfo = client.do_user_info_request(method="GET", state=state)
            if isinstance(userinfo, ErrorResponse) or not isinstance(userinfo, OpenIDSchema):
                raise LoginError("FranceConnect n'a pas transmis votre identité.",
                                 userinfo.get("error", "invalid_userinfo"), userinfo.get("error_description", ""))
            if userinfo.get("iss") not in (None, self.issuer) or userinfo.get("aud") not in (None, self.client_id):
                raise LoginError("Réponse de FranceConnect inattendue.", "invalid_userinfo",
                                 "les informations d'identité ne sont pas destinées à ce service")
        except LoginError:
            raise
        except requests.RequestException as error:
            raise unreachable(error) from error
        except Exception as error:  # pyoidc's verification errors
            raise LoginError("Réponse de FranceConnect invalide.", type(error).__name__, str(error)) from error
        finally:
            client.grant.pop(state, None)
            client.state2nonce.pop(state, None)
        return {"id_token": tokens["id_token_jwt"], "id_claims": id_token.to_dict(), "userinfo": userinfo.to_dict()}

    def logout_url(self, id_token: str, state: str, post_logout_redirect_uri: str) -> str | None:
        endpoint = self.client.provider_info.get("end_session_endpoint")
        if not endpoint:
            return None
        return EndSessionRequest(id_token_hint=id_token, state=state,
                                 post_logout_redirect_uri=post_logout_redirect_uri).request(endpoint)


# Pages ---------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ title }} — Service exemple</title>
<style>
 body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #161616; }
 .fc-button { background: #000091; color: #fff; border: 0; padding: .8rem 1.4rem; font-size: 1rem; cursor: pointer; }
 .notice { background: #e8f5e9; padding: .8rem 1rem; }
 .error { background: #fdecea; padding: .8rem 1rem; }
 dt { font-weight: bold; } dd { margin: 0 0 .6rem 0; }
</style></head>
<body>
<header><p><strong>Service exemple</strong> — une application cliente de FranceConnect</p></header>
<main>
{% if notice %}<p class="notice" role="status">{{ notice }}</p>{% endif %}
{% if error %}
  <section class="error" role="alert">
    <h1>{{ error.title }}</h1>
    <p>Code d'erreur&nbsp;: <code>{{ error.error }}</code></p>
    {% if error.description %}<p>{{ error.description }}</p>{% endif %}
  </section>
  <p><a href="{{ url_for('home') }}">Retour à l'accueil</a></p>
{% elif user %}
  <h1>Bonjour {{ user.userinfo.given_name }} {{ user.userinfo.family_name }}</h1>
  <p>Vous êtes connecté avec FranceConnect. Voici les informations transmises&nbsp;:</p>
  <dl class="claims">
  {% for name, label in labels.items() if name in user.userinfo %}
    <div><dt>{{ label }}</dt><dd data-claim="{{ name }}">{{ shown(name, user.userinfo[name]) }}</dd></div>
  {% endfor %}
  </dl>
  <form method="post" action="{{ url_for('logout') }}"><button type="submit">Se déconnecter</button></form>
{% else %}
  <h1>Bienvenue</h1>
  <p>Connectez-vous à ce service avec votre compte impots.gouv.fr, ameli.fr, l'Identité Numérique La Poste, MSA…</p>
  <form method="get" action="{{ url_for('login') }}">
    <button type="submit" class="fc-button">S'identifier avec FranceConnect</button>
  </form>
{% endif %}
</main>
</body>
</html>
"""


def create_app(issuer: str, client_id: str, client_secret: str, base_url: str,
               session: requests.Session | None = None, *, secret_key: str | None = None) -> Flask:
    """The service, as a Flask app.

    issuer: FranceConnect's issuer (for the mock: http://franceconnect.localhost:8765/api/v2).
    client_id, client_secret: as registered with FranceConnect.
    base_url: where this service is reached (its redirect URIs are built from it).
    session: the requests.Session to reach FranceConnect with — pass `localhost_session()`
      if your system does not resolve *.localhost.
    """
    base_url = base_url.rstrip("/")
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_hex(32),
        SESSION_COOKIE_NAME="service_exemple_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",  # sent on FranceConnect's top-level redirect back
    )
    fc = FranceConnect(issuer, client_id, client_secret, f"{base_url}/callback", session)
    app.extensions["franceconnect"] = fc
    logged_out_uri = f"{base_url}/"

    def page(title: str, status: int = 200, **context: Any):
        return render_template_string(PAGE, title=title, labels=CLAIM_LABELS, shown=shown, **context), status

    @app.get("/")
    def home():
        notice = None
        pending_logout = browser_session.pop("logout_state", None)
        if "state" in request.args and pending_logout:
            if secrets.compare_digest(request.args["state"], pending_logout):
                notice = "Vous êtes déconnecté."
            else:
                return page("Erreur", 400, error=LoginError(
                    "Réponse de déconnexion inattendue.", "invalid_state",
                    "le paramètre state ne correspond pas à la déconnexion demandée"))
        return page("Accueil", user=browser_session.get("user"), notice=notice)

    @app.get("/login")
    def login():
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)  # 43 characters: FC wants 32+
        browser_session["login"] = {"state": state, "nonce": nonce}
        try:
            return redirect(fc.authorization_url(state, nonce))
        except requests.RequestException as error:
            return page("Erreur", 502, error=unreachable(error))

    @app.get("/callback")
    def callback():
        pending = browser_session.pop("login", None)
        if pending is None:
            return page("Erreur", 400, error=LoginError(
                "Aucune connexion en cours.", "no_pending_login",
                "cette page s'ouvre au retour de FranceConnect, après avoir cliqué sur « S'identifier avec FranceConnect »"))
        try:
            user = fc.finish(request.query_string.decode(), pending["state"], pending["nonce"])
        except LoginError as error:
            status = 403 if error.error in ("access_denied", "invalid_state", "invalid_nonce") else 502
            return page("Erreur", status, error=error)
        browser_session["user"] = user
        return redirect(url_for("home"))

    @app.post("/logout")
    def logout():
        user = browser_session.pop("user", None)
        if user is None:
            return redirect(url_for("home"))
        state = secrets.token_urlsafe(32)
        try:
            url = fc.logout_url(user["id_token"], state, logged_out_uri)
        except requests.RequestException:
            url = None
        if url is None:  # no end_session_endpoint: only this service's session ends
            return page("Accueil", notice="Vous êtes déconnecté.")
        browser_session["logout_state"] = state
        return redirect(url)

    return app


def main() -> None:
    def required(name: str) -> str:
        value = os.environ.get(name)
        if not value:
            raise SystemExit(f"{name} is required (see examples/relying_party/README.md)")
        return value

    base_url = os.environ.get("APP_BASE_URL", "http://localhost:5000")
    http = localhost_session() if os.environ.get("RESOLVE_LOCALHOST") == "1" else None
    app = create_app(required("FC_ISSUER"), required("FC_CLIENT_ID"), required("FC_CLIENT_SECRET"), base_url, http,
                     secret_key=os.environ.get("APP_SECRET_KEY"))
    parts = urlsplit(base_url)
    from waitress import serve

    print(f"Service exemple sur {base_url}/  (redirect URI: {base_url}/callback)")
    serve(app, host=os.environ.get("APP_HOST", "127.0.0.1"), port=parts.port or 80)


if __name__ == "__main__":
    main()
