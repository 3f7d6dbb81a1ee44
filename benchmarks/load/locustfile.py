"""Protocol-level users of the mock for `make load`: HTTP only, no browser.

Each user has its own persona, created through the control API, and thinks
between two tasks (Locust's `between`). Its tasks are the help page's ways in
and out:
- log in with its NIR and password, then "Déconnexion"; or log in and close
  the browser without logging out (the session is left to expire);
- "Mot de passe oublié ?": a code by SMS or by mail, read from the control
  API's outbox, then a new password (at most once a minute per user: Mon
  Compte sends one code a minute per identifier);
- "S'identifier avec FranceConnect" through one of the six identity providers
  (France Identité approved "on the phone" through the control API), then
  "Déconnexion", which ends FranceConnect's and the provider's sessions too;
  or the same walk abandoned at the chooser or at the provider's page.

Every request is named by its step (steps.py). The sites live at
http://<site>.localhost:<port>, which Python does not resolve: every request
goes through the mock's own LoopbackAdapter (127.0.0.1, Host header kept), and
redirects are followed here, one named request each, against the site's URL.

Started by `python -m benchmarks.load`, which starts its own mock; alone, against
a mock already running on loopback (any other target is refused):

    .venv/bin/locust -f benchmarks/load/locustfile.py --host http://127.0.0.1:8765 \\
        --headless -u 10 -r 5 -t 30s
"""

from __future__ import annotations

import ipaddress
import random
import string
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from locust import HttpUser, between, task
from locust.exception import RescheduleTask, StopUser

from benchmarks.load.pages import Page
from benchmarks.load.steps import site_of, step_name
from mock_server.config import PROVIDER_IDS
from mock_server.moncompte.verification import MAX_CODES_PER_DAY
from mock_server.oidc.relying_party import is_loopback_name, mount_loopback

TIMEOUT = 10.0  # seconds; a request slower than this counts as failed
MAX_HOPS = 12  # redirects after one request
MAX_PAGES = 12  # pages of one FranceConnect walk
# Mon Compte sends a new code for one identifier once a minute of its clock; the
# clock never runs slower than real time, so a real minute is always enough.
RESET_EVERY_SECONDS = 61.0


@dataclass
class Progress:
    """What the users have done, for the runner (same process, one gevent loop)."""

    logins: int = 0  # reached Mon Compte's account page, by password or FranceConnect
    fc_logins: int = 0
    logouts: int = 0
    left_logged_in: int = 0
    fc_abandoned: int = 0
    resets: int = 0


progress = Progress()


class FlowError(Exception):
    """A page that is not the one the step leads to."""


def is_loopback_host(hostname: str | None) -> bool:
    if not hostname:
        return False
    if is_loopback_name(hostname):
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def new_password(rng: random.Random) -> str:
    """8 to 64 characters, a letter and a digit at least: Mon Compte's rule."""
    return "Load" + "".join(rng.choices(string.ascii_letters + string.digits, k=10)) + str(rng.randrange(10))


class MonCompteUser(HttpUser):
    wait_time = between(0.5, 2.0)

    # Setup --------------------------------------------------------------------

    def on_start(self) -> None:
        self.rng = random.Random()
        self.next_reset = 0.0
        self.last_message_id: int | None = None
        if not is_loopback_host(urlsplit(self.host or "").hostname):
            self._refuse(f"{self.host!r} is not a loopback address")
        mount_loopback(self.client, TIMEOUT)
        self.sites: dict[str, str] = self.control("GET", "/__mock__/sites", name="control: sites").json()
        far = [url for url in self.sites.values() if not is_loopback_host(urlsplit(url).hostname)]
        if far:
            self._refuse(f"the mock's sites are not on loopback: {far[0]}")
        self.new_persona()

    def new_persona(self) -> None:
        self.persona: dict[str, Any] = self.control(
            "POST", "/__mock__/personas", name="control: create persona", json={}, expect=(201,)).json()
        self.password: str = self.persona["password"]
        self.resets_done = 0

    def forget_persona(self) -> None:
        persona = getattr(self, "persona", None)
        if persona:  # tidy for a mock that outlives the run (a `make serve` one)
            self.control("DELETE", f"/__mock__/personas/{persona['id']}", name="control: delete persona",
                         expect=(204, 404))

    def on_stop(self) -> None:
        self.forget_persona()

    def _refuse(self, why: str) -> None:
        print(f"Load refused: {why}. Only a mock on 127.0.0.1 may be loaded.")
        if self.environment.runner is not None:
            self.environment.runner.quit()
        raise StopUser()

    @property
    def moncompte(self) -> str:
        return self.sites["moncompte"]

    # Requests -------------------------------------------------------------------

    def control(self, method: str, path: str, *, name: str, json: Any = None, params: dict | None = None,
                expect: tuple[int, ...] = (200,)):
        """A call of the control API, on 127.0.0.1 (never a site's host name)."""
        headers = {"Content-Type": "application/json"} if json is not None else {}
        url = self.host.rstrip("/") + path
        with self.client.request(method, url, name=name, json=json, params=params, headers=headers,
                                 timeout=TIMEOUT, catch_response=True) as response:
            ok = response.status_code in expect
            if not ok:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
        if not ok:
            raise RescheduleTask()
        return response

    def send(self, method: str, url: str, data: dict[str, str] | None = None, *,
             expect: tuple[int, ...] = (200, 302, 303)):
        """One request to a site, named by its step; an answer not expected fails it and ends the task."""
        with self.client.request(method, url, name=step_name(method, url), data=data, allow_redirects=False,
                                 timeout=TIMEOUT, catch_response=True) as response:
            ok = response.status_code in expect
            if not ok:
                # The step names the page: the URL's ids would split one failure into many.
                response.failure(f"HTTP {response.status_code}")
        if not ok:
            self.start_over()
        return response

    def walk(self, method: str, url: str, data: dict[str, str] | None = None):
        """A request and the redirects after it, up to a page: (its URL, its answer)."""
        for _ in range(MAX_HOPS):
            response = self.send(method, url, data)
            if response.status_code == 200:
                return url, response
            url, method, data = urljoin(url, response.headers["Location"]), "GET", None
        self.fail_flow("redirects", f"more than {MAX_HOPS} redirects from {url}")

    def redirect(self, method: str, url: str, data: dict[str, str], to: str) -> str:
        """A form post that must redirect to the path `to` (a refused form answers a page)."""
        response = self.send(method, url, data, expect=(302, 303))
        target = urljoin(url, response.headers["Location"])
        if urlsplit(target).path != to:
            self.fail_flow(step_name(method, url), f"redirected to {target}, not to {to}")
        return target

    def fail_flow(self, step: str, why: str) -> None:
        """Record a failure that no status code shows (a page that is not the expected one)."""
        self.environment.events.request.fire(request_type="FLOW", name=step, response_time=0, response_length=0,
                                             exception=FlowError(why), context={}, response=None)
        self.start_over()

    def start_over(self) -> None:
        """After a failure: a fresh browser, and the next task."""
        self.client.cookies.clear()
        raise RescheduleTask()

    def leave(self) -> None:
        """Close the browser without logging out: what it started stays on the mock."""
        self.client.cookies.clear()

    # Mon Compte: log in, log out --------------------------------------------------

    def log_in(self) -> tuple[str, Any]:
        url, response = self.walk("GET", self.moncompte + "/connexion")
        identifier = ({"nir": self.persona["nir"]} if self.persona.get("nir")
                      else {"provisional": "y", "provisional_id": self.persona["provisional_id"]})
        data = {"csrf_token": Page(response.text).csrf_token() or "", **identifier, "password": self.password}
        target = self.redirect("POST", url, data, to="/mon-compte/")
        url, response = self.walk("GET", target)
        progress.logins += 1
        return url, response

    def log_out(self, response) -> None:
        token = Page(response.text).csrf_token() or ""
        url, response = self.walk("POST", self.moncompte + "/deconnexion", {"csrf_token": token})
        if site_of(url) == "franceconnect":
            # After a FranceConnect login: FranceConnect's "logged out" page, and its way back.
            back = next((urljoin(url, link) for link in Page(response.text).links
                         if site_of(urljoin(url, link)) == "moncompte"), None)
            if back is None:
                self.fail_flow("logout: fc logged-out page", "no link back to Mon Compte")
            url, response = self.walk("GET", back)
        if site_of(url) != "moncompte" or urlsplit(url).path != "/deconnecte":
            self.fail_flow("logout", f"ended on {url}")
        progress.logouts += 1

    @task(5)
    def log_in_and_out(self) -> None:
        _, account = self.log_in()
        self.log_out(account)

    @task(1)
    def log_in_and_leave(self) -> None:
        self.log_in()
        self.leave()
        progress.left_logged_in += 1

    # Mot de passe oublié ? ---------------------------------------------------------

    @task(2)
    def reset_password(self) -> None:
        if time.monotonic() < self.next_reset:
            return self.log_in_and_out()
        channel = self.rng.choice(["sms", "mail"])
        to = self.persona["phone"] if channel == "sms" else self.persona["email"]
        base = self.moncompte + "/mot-de-passe-oublie"
        url, response = self.walk("GET", base)
        token = Page(response.text).csrf_token() or ""
        self.redirect("POST", base, {"csrf_token": token, "nir": self.persona["nir"]}, to="/mot-de-passe-oublie/canal")
        self.walk("GET", base + "/canal")
        self.next_reset = time.monotonic() + RESET_EVERY_SECONDS
        self.redirect("POST", base + "/canal", {"csrf_token": token, "channel": channel}, to="/mot-de-passe-oublie/code")
        self.walk("GET", base + "/code")
        params = {"to": to, "wait": "5", **({"after": str(self.last_message_id)} if self.last_message_id else {})}
        message = self.control("GET", "/__mock__/outbox/latest", name="control: read code", params=params).json()
        self.last_message_id = message["id"]
        self.redirect("POST", base + "/code", {"csrf_token": token, "code": message["code"]},
                      to="/mot-de-passe-oublie/mot-de-passe")
        self.walk("GET", base + "/mot-de-passe")
        password = new_password(self.rng)
        self.redirect("POST", base + "/mot-de-passe", {"csrf_token": token, "password": password, "confirm": password},
                      to="/mot-de-passe-oublie/termine")
        self.walk("GET", base + "/termine")
        self.password = password
        progress.resets += 1
        self.resets_done += 1
        if self.resets_done >= MAX_CODES_PER_DAY:
            # Mon Compte sends 5 codes a day per identifier: the next resets are someone else's.
            self.forget_persona()
            self.new_persona()

    # S'identifier avec FranceConnect --------------------------------------------------

    def franceconnect(self, idp: str, *, abandon_at: str | None = None):
        """From Mon Compte's button to its account page through `idp`; or None when the
        walk is abandoned at `abandon_at` ("chooser" or "provider")."""
        url, response = self.walk("GET", self.moncompte + "/connexion/franceconnect")
        for _ in range(MAX_PAGES):
            if site_of(url) == "moncompte":
                if urlsplit(url).path != "/mon-compte/":
                    self.fail_flow("fc: back to Mon Compte (token, userinfo)", f"ended on {url}")
                progress.logins += 1
                progress.fc_logins += 1
                return url, response
            page = Page(response.text)
            chooser = page.form(button=("provider", idp))
            login = page.form(form_id="login-form")
            approval = page.form(form_id="approval-form")
            if abandon_at == "chooser" and chooser or abandon_at == "provider" and (login or approval):
                return None
            if chooser:
                form, data = chooser, {**chooser.fields, "provider": idp}
            elif login:
                credentials = self.persona["credentials"][idp]
                form, data = login, {**login.fields, **{name: credentials[name] for name in login.inputs
                                                        if name in credentials}}
            elif approval:
                self.control("POST", "/__mock__/franceidentite/approve", name="control: approve on the phone",
                             json={"persona_id": self.persona["id"], "code": page.pairing_code()})
                form, data = approval, dict(approval.fields)
            else:
                form = page.form(action_ends="/continuer")  # "Vous êtes connecté !"
                if form is None:
                    self.fail_flow(step_name("GET", url), f"no way on from {url}")
                data = dict(form.fields)
            url, response = self.walk("POST", urljoin(url, form.action), data)
        self.fail_flow("fc: walk", f"not back on Mon Compte after {MAX_PAGES} pages")

    @task(2)
    def franceconnect_in_and_out(self) -> None:
        _, account = self.franceconnect(self.rng.choice(PROVIDER_IDS))
        self.log_out(account)

    @task(1)
    def franceconnect_abandoned(self) -> None:
        self.franceconnect(self.rng.choice(PROVIDER_IDS), abandon_at=self.rng.choice(["chooser", "provider"]))
        self.leave()
        progress.fc_abandoned += 1
