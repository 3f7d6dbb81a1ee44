"""The name of each request in the load's figures: the step of the help page (or
of the federation) it belongs to, whatever ids its URL carries."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from mock_server.config import PROVIDER_IDS

# (site, method, path) -> step. "idp" stands for any of the six identity providers.
_STEPS = (
    ("moncompte", "GET", r"/connexion", "login: form"),
    ("moncompte", "POST", r"/connexion", "login"),
    ("moncompte", "GET", r"/mon-compte/", "login: account page"),
    ("moncompte", "POST", r"/deconnexion", "logout"),
    ("moncompte", "GET", r"/deconnecte", "logout: page"),
    ("moncompte", "GET", r"/mot-de-passe-oublie", "reset: identify form"),
    ("moncompte", "POST", r"/mot-de-passe-oublie", "reset: identify"),
    ("moncompte", "GET", r"/mot-de-passe-oublie/canal", "reset: channel form"),
    ("moncompte", "POST", r"/mot-de-passe-oublie/canal", "reset: ask code"),
    ("moncompte", "GET", r"/mot-de-passe-oublie/code", "reset: code form"),
    ("moncompte", "POST", r"/mot-de-passe-oublie/code", "reset: enter code"),
    ("moncompte", "GET", r"/mot-de-passe-oublie/mot-de-passe", "reset: password form"),
    ("moncompte", "POST", r"/mot-de-passe-oublie/mot-de-passe", "reset: new password"),
    ("moncompte", "GET", r"/mot-de-passe-oublie/termine", "reset: done page"),
    ("moncompte", "GET", r"/connexion/franceconnect", "fc: start"),
    ("moncompte", "GET", r"/connexion/franceconnect/retour", "fc: back to Mon Compte (token, userinfo)"),
    ("franceconnect", "GET", r"/api/v2/authorize", "fc: authorize"),
    ("franceconnect", "GET", r"/api/v2/interaction/[^/]+", "fc: chooser"),
    ("franceconnect", "POST", r"/api/v2/interaction/[^/]+/fournisseur", "fc: choose provider"),
    ("franceconnect", "GET", r"/api/v2/oidc-callback", "fc: back from provider (token, userinfo)"),
    ("franceconnect", "GET", r"/api/v2/interaction/[^/]+/connecte", "fc: connected page"),
    ("franceconnect", "POST", r"/api/v2/interaction/[^/]+/continuer", "fc: continue to service"),
    ("franceconnect", "GET", r"/api/v2/session/end", "logout: fc session end"),
    ("franceconnect", "GET", r"/api/v2/client/logout-callback", "logout: fc back from provider"),
    ("idp", "GET", r"/oidc/authorize", "idp: authorize"),
    ("idp", "GET", r"/connexion/[^/]+", "idp: login form"),
    ("idp", "POST", r"/connexion/[^/]+", "idp: login"),
    ("idp", "POST", r"/attente/[^/]+/suite", "idp: after phone approval"),
    ("idp", "GET", r"/oidc/session/end", "logout: idp session end"),
)
_COMPILED = tuple((site, method, re.compile(path), step) for site, method, path, step in _STEPS)


def site_of(url: str) -> str:
    """'http://ameli.localhost:8765/…' -> 'ameli'."""
    return (urlsplit(url).hostname or "").split(".", 1)[0]


def step_name(method: str, url: str) -> str:
    site = site_of(url)
    kind = "idp" if site in PROVIDER_IDS else site
    path = urlsplit(url).path
    for step_site, step_method, pattern, step in _COMPILED:
        if step_site == kind and step_method == method and pattern.fullmatch(path):
            return step
    return f"other: {method} {site} {path}"  # shows in the figures, never silently merged
