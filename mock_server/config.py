"""Configuration of one mock instance: where its sites live and its rules' knobs."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

# The identity providers FranceConnect offers, in the order of its chooser.
from .identity_providers import PROVIDER_IDS

# Every site the mock serves, by the first label of its host name.
SITES = ("moncompte", "franceconnect", *PROVIDER_IDS)


@dataclass
class MockConfig:
    # Sites live at <site>.<domain>:<port>; browsers resolve *.localhost to loopback.
    domain: str = "localhost"
    scheme: str = "http"
    # Port shown in URLs; the live server fills it in once bound (it may bind port 0).
    public_port: int | None = None
    # Where the mock reaches itself for its own server-to-server calls (Mon Compte to
    # FranceConnect, FranceConnect to the providers), whatever the domain resolves to
    # on this machine: the address it listens on (loopback for 0.0.0.0 or ::).
    self_address: str = "127.0.0.1"
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    session_idle_minutes: int = 30
    # How long "Se souvenir de moi" keeps the identifier (13 months, as the CNIL allows).
    remember_days: int = 395
    # Set Secure on cookies (only when the mock is served over https).
    secure_cookies: bool = False
    # Demo personas (re)created at start and on reset, for people clicking by hand.
    demo_personas: bool = False
    demo_seed: int = 2024
    # How long FranceConnect and Mon Compte wait for a server-to-server answer
    # (token, userinfo, JWKS) before showing the user a timeout page.
    upstream_timeout_seconds: float = 3.0
    # Host names the control plane answers for besides loopback and the sites'
    # (the --host given at start-up, --allow-host): any other Host gets 421.
    allowed_hosts: tuple[str, ...] = ()

    def host(self, site: str) -> str:
        host = f"{site}.{self.domain}"
        return f"{host}:{self.public_port}" if self.public_port else host

    def is_own_host(self, hostname: str | None) -> bool:
        """Whether a host name is one of the mock's sites (or its bare domain)."""
        return bool(hostname) and (hostname == self.domain or hostname.endswith("." + self.domain))

    def site_of_host(self, hostname: str) -> str | None:
        """The site a host name names ('ameli' for 'ameli.localhost'), or None."""
        suffix = "." + self.domain
        site = hostname.lower()[: -len(suffix)] if hostname.lower().endswith(suffix) else None
        return site if site in SITES else None

    def site_url(self, site: str) -> str:
        return f"{self.scheme}://{self.host(site)}"

    def site_urls(self) -> dict[str, str]:
        return {site: self.site_url(site) for site in SITES}
