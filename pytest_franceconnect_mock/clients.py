"""An application registered with the mock FranceConnect, as the fixtures hand it out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RegisteredClient:
    client_id: str
    client_secret: str | None  # None for a client that authenticates with private_key_jwt
    issuer: str
    discovery_url: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    # The control API's whole answer (type, providers, signing algorithms… as registered).
    registration: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_answer(cls, answer: dict[str, Any]) -> RegisteredClient:
        return cls(
            client_id=answer["client_id"], client_secret=answer.get("client_secret"),
            issuer=answer["issuer"], discovery_url=answer["discovery_url"],
            redirect_uris=tuple(answer["redirect_uris"]),
            post_logout_redirect_uris=tuple(answer.get("post_logout_redirect_uris") or ()),
            registration=answer)

    @property
    def redirect_uri(self) -> str:
        return self.redirect_uris[0]
