"""Benchmark of the login path: the mock's answer times on loopback, and what
one browser login costs. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.login [--requests 200] [--logins 10]

Every request goes to a mock started here, on 127.0.0.1, and the loops are
bounded in count.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable

import httpx

from pytest_franceconnect_mock.control import ControlClient
from mock_server.server import LiveServer


def timed(count: int, action: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"  {name:<34} n={len(samples):<4} median {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms")


def bench_http(server: LiveServer, persona, requests: int) -> None:
    host = f"moncompte.localhost:{server.port}"
    token = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    print(f"mock server, one client on loopback ({requests} requests each):")
    with httpx.Client(base_url=server.control_url, headers={"Host": host}) as client:
        report("GET /connexion", timed(requests, lambda: client.get("/connexion").raise_for_status()))

        def login() -> None:
            client.cookies.clear()
            csrf = token.search(client.get("/connexion").text).group(1)
            answer = client.post("/connexion", data={"csrf_token": csrf, "nir": persona.nir, "password": persona.password})
            assert answer.status_code == 302, answer.status_code

        report("GET + POST /connexion (login)", timed(requests, login))
        report("GET /mon-compte/ (logged in)", timed(requests, lambda: client.get("/mon-compte/").raise_for_status()))


def bench_browser(server: LiveServer, persona, logins: int) -> None:
    from playwright.sync_api import sync_playwright

    from fixtures.chromium import find_chromium, launch_options

    base = f"http://moncompte.localhost:{server.port}"
    print(f"Chromium ({logins} logins, a fresh context each):")
    with sync_playwright() as playwright:
        start = time.perf_counter()
        browser = playwright.chromium.launch(**launch_options(find_chromium()))
        print(f"  {'browser launch':<34} {(time.perf_counter() - start) * 1000:7.0f} ms")

        def login() -> None:
            context = browser.new_context(base_url=base)
            page = context.new_page()
            page.goto("/connexion")
            page.get_by_label("Numero de Sécurité sociale (13 caractères)").fill(persona.nir)
            page.get_by_label("Mot de passe (8 à 64 caractères)").fill(persona.password)
            page.get_by_role("button", name="Se connecter").click()
            page.get_by_role("heading", name="Mon Compte").wait_for()
            context.close()

        report("context + login page + login", timed(logins, login))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.login", description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--logins", type=int, default=10)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with LiveServer() as server:
        persona = ControlClient(server.control_url).create_persona()
        bench_http(server, persona, max(1, min(args.requests, 5000)))
        if not args.no_browser:
            bench_browser(server, persona, max(1, min(args.logins, 200)))


if __name__ == "__main__":
    main()
