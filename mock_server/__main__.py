"""Run the mock alone: `python -m mock_server --port 8765`."""

from __future__ import annotations

import argparse
import sys

from . import texts
from .config import MockConfig
from .personas import Persona
from .simulation.presets import PRESETS
from .server import LiveServer


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def print_demo_accounts(personas: list[Persona], control_url: str) -> None:
    caf = [persona for persona in personas if persona.caf_record and not persona.fc_error]
    if caf:
        print("Comptes de démonstration (identifiant / mot de passe) :")
        for persona in caf:
            kind = "identifiant provisoire" if persona.provisional_id else "NIR"
            if not persona.has_account:
                kind += ", sans compte : « Créer Mon Compte »"
            print(f"  {persona.identifier:<15} {persona.password or '—':<14} {persona.display_name} ({kind})")
        first = caf[0]
        print(f"S'identifier avec FranceConnect — {first.display_name}, chez chaque fournisseur :")
        for provider_id, credentials in first.credentials.items():
            words = texts.PROVIDERS[provider_id]
            login = " / ".join(credentials.values()) or f"validation sur le téléphone : {control_url}/__mock__/franceidentite"
            print(f"  {words['name']:<31} {login}")
    others = [persona for persona in personas if persona.fc_error or not persona.caf_record]
    if others:
        print(f"Personas d'erreur FranceConnect (avec {texts.PROVIDERS['ameli']['name']}, NIR / code confidentiel) :")
        behaviours = [persona.fc_error or "sans dossier Caf" for persona in others]
        width = max(len(behaviour) for behaviour in behaviours)
        for persona, behaviour in zip(others, behaviours):
            ameli = persona.credentials.get("ameli", {})
            print(f"  {behaviour:<{width}} {ameli.get('nir', '—'):<15} {ameli.get('password', '—'):<10} {persona.display_name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mock_server", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--domain", default="localhost", help="sites live at <site>.<domain>:<port>")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="another host name the control plane answers for (this machine's name on a "
                             "network, with --host 0.0.0.0); repeatable")
    parser.add_argument("--threads", type=positive, default=32,
                        help="requests served at once (32): FranceConnect's calls to the providers and Mon "
                             "Compte's to FranceConnect take a thread each while the browser's request waits")
    parser.add_argument("--no-demo", action="store_true", help="start without the demo accounts")
    parser.add_argument("--demo-seed", type=int, default=2024, help="seed of the demo accounts")
    parser.add_argument("--lockout-threshold", type=positive, default=5, help="failed logins in a row that lock (5)")
    parser.add_argument("--lockout-minutes", type=positive, default=15, help="how long a lock lasts (15)")
    parser.add_argument("--scenario", action="append", default=[], metavar="NAME",
                        help="start with a named scenario (faults, personas); repeatable")
    parser.add_argument("--list-scenarios", action="store_true", help="list the named scenarios and exit")
    args = parser.parse_args(argv)
    if args.list_scenarios:
        for preset in PRESETS.values():
            print(f"{preset.name:<22} {preset.description}")
        return 0
    unknown = [name for name in args.scenario if name not in PRESETS]
    if unknown:
        print(f"Unknown scenario {unknown[0]!r}; `python -m mock_server --list-scenarios` lists them.", file=sys.stderr)
        return 2

    config = MockConfig(
        domain=args.domain,
        demo_personas=not args.no_demo,
        demo_seed=args.demo_seed,
        lockout_threshold=args.lockout_threshold,
        lockout_minutes=args.lockout_minutes,
        allowed_hosts=(args.host, *args.allow_host),
    )
    try:
        server = LiveServer(config, host=args.host, port=args.port, threads=args.threads)
    except OSError as error:
        print(f"Cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1

    print("Simulateur Mon Compte, prêt :")
    for site, url in config.site_urls().items():
        print(f"  {site:<14} {url}/")
    print(f"  {'control API':<14} {server.control_url}/__mock__/  (also on every site's host)")
    print_demo_accounts(server.store.list_personas(), server.control_url)
    for name in args.scenario:
        print(f"Scénario {name} : {PRESETS[name].description}")
        for line in PRESETS[name].apply(server.store, config):
            print(f"  {line}")
    print(f"Tableau de bord (comptes, pannes, horloge, requêtes) : {server.control_url}/__mock__/")
    print(f"Codes SMS et mails envoyés : {server.control_url}/__mock__/outbox")
    print("Ctrl-C pour arrêter.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
