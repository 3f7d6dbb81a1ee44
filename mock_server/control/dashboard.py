"""/__mock__/: the simulator's dashboard, for people.

What a developer keeps open in a second tab while clicking through the mock:
the sites, the personas and their credentials (with "Copier" buttons), the
newest SMS and mails, the active faults (add, remove, clear, named
scenarios), the mock's clock and the last requests the sites received.

Every change is a form POST to a route under /__mock__/dashboard/… that
redirects (303) back to /__mock__/; bad input gets the page again, with the
French message next to the form, what was typed kept, and HTTP 422.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Response, redirect, render_template, request, url_for

from .. import texts
from ..config import PROVIDER_IDS, SITES
from ..context import mock
from ..federation import FRANCECONNECT
from ..simulation.faults import FIELDS as FAULT_FIELDS
from ..simulation.faults import (ANSWER_KINDS, CALL_KINDS, HTTP_KINDS, KINDS, METHODS, MESSAGE_KINDS, NETWORK_KINDS,
                                 SHAPE_KINDS, Fault, FaultError)
from . import ControlError, bp
from .clock import parse_duration
from .inputs import TRUE_WORDS

WORDS = texts.DASHBOARD
OUTBOX_SIZE = 5
JOURNAL_SIZE = 30
# The clock's buttons: label -> duration, as POST /__mock__/clock takes it.
CLOCK_STEPS = (("+1 min", "1m"), ("+15 min", "15m"), ("+31 min", "31m"))
# Which fault kinds each optional field applies to (the others apply to all).
SITE_SCOPED = (*HTTP_KINDS, *NETWORK_KINDS, *SHAPE_KINDS)
APPLIES_TO: dict[str, tuple[str, ...]] = {
    "site": SITE_SCOPED,
    "route": SITE_SCOPED,
    "method": SITE_SCOPED,
    # The network does not know whose call it carries.
    "persona": tuple(kind for kind in KINDS if kind not in CALL_KINDS),
    "ms": ("latency",),
    "status": ("status",),
    "seconds": ("timeout", "sms_delay"),
    "client": ANSWER_KINDS,
}
_WHOLE = re.compile(r"[0-9]{1,9}")
_RANGE = re.compile(r"([0-9]{1,9})\s*[-–]\s*([0-9]{1,9})")
PRESETS_MODULE = "mock_server.simulation.presets"


# Reading the form --------------------------------------------------------------


def fault_body(form: Mapping[str, str]) -> dict[str, Any]:
    """The fault the add form describes, as FaultBoard.add takes it: empty fields
    left out, numbers as numbers, a latency range "200-800" as [200, 800]. A value
    that is not a number stays a string: FaultBoard.add names the field."""
    body: dict[str, Any] = {}
    for name in FAULT_FIELDS:
        value = (form.get(name) or "").strip()
        if not value:
            continue
        if name in ("times", "status", "seconds"):
            body[name] = int(value) if _WHOLE.fullmatch(value) else value
        elif name == "ms":
            pair = _RANGE.fullmatch(value)
            if pair:
                body[name] = [int(pair.group(1)), int(pair.group(2))]
            else:
                body[name] = int(value) if _WHOLE.fullmatch(value) else value
        else:
            body[name] = value
    return body


def french_fault_error(error: FaultError, body: Mapping[str, Any]) -> str:
    """What a person reads for a refused fault (FaultBoard's messages are English)."""
    errors = WORDS["errors"]
    field, kind = error.field, body.get("kind")
    if field in APPLIES_TO and kind in KINDS and kind not in APPLIES_TO[field]:
        return errors["not_applicable"].format(field=WORDS["fields"][field], kind=kind)
    if field == "ms":
        ms = body.get("ms")
        if isinstance(ms, list) and all(isinstance(value, int) for value in ms) and ms[0] > ms[1]:
            return errors["ms_order"]
    if field == "seconds":
        return errors["seconds_sms_delay" if kind == "sms_delay" else "seconds_timeout"]
    if field in errors:
        return errors[field]
    return errors["other"].format(message=str(error))


# What the page shows -------------------------------------------------------------


def _site_name(site: str) -> str:
    return WORDS["site_names"].get(site) or texts.PROVIDERS[site]["in_text"]


def _sites() -> list[dict[str, str]]:
    return [{"id": site, "name": _site_name(site), "url": url} for site, url in mock().config.site_urls().items()]


def _persona_view(persona: Any) -> dict[str, Any]:
    providers, missing = [], []
    for provider_id in PROVIDER_IDS:
        words = texts.PROVIDERS[provider_id]
        credentials = persona.credentials.get(provider_id)
        if credentials is None:
            missing.append(words["in_text"])
            continue
        fields = [
            {"key": key, "label": words["fields"].get(key, {}).get("label", key), "value": value}
            for key, value in credentials.items()
        ]
        providers.append({"id": provider_id, "name": words["in_text"], "fields": fields})
    flags = []
    if persona.fc_error:
        flags.append(WORDS["flag_fc_error"].format(code=persona.fc_error)
                     + " — " + WORDS["fc_errors"].get(persona.fc_error, ""))
    if not persona.caf_record:
        flags.append(WORDS["flag_no_caf_record"])
    if not persona.has_account:
        flags.append(WORDS["flag_no_account"])
    return {
        "persona": persona,
        "identifier_label": WORDS["nir"] if persona.nir else WORDS["provisional_id"],
        "providers": providers,
        "missing": missing,
        "flags": flags,
    }


def _fault_view(fault: Fault, names: Mapping[str, str]) -> dict[str, Any]:
    what = fault.kind
    if fault.kind == "status":
        what += f" {fault.status}"
    elif fault.kind == "latency" and fault.ms:
        low, high = fault.ms
        what += f" {low} ms" if low == high else f" {low}–{high} ms"
    elif fault.seconds is not None:
        what += f" {fault.seconds:g} s"
    parts = [what]
    if fault.kind in ANSWER_KINDS:
        parts.append(fault.client or WORDS["fault_every_client"])
    elif fault.kind not in MESSAGE_KINDS:
        parts.append(_site_name(fault.site) if fault.site else WORDS["fault_everywhere"])
        parts.append(" ".join(filter(None, (fault.method, fault.route))) or WORDS["fault_every_route"])
    parts.append(names.get(fault.persona, fault.persona) if fault.persona else WORDS["fault_everyone"])
    parts.append(WORDS["fault_hits"].format(hits=fault.hits))
    parts.append(WORDS["fault_until_cleared"] if fault.times is None else WORDS["fault_times_left"].format(times=fault.times))
    return {"id": fault.id, "title": WORDS["fault"].format(id=fault.id), "parts": parts}


def _presets() -> Mapping[str, Any]:
    """The named scenarios, when this mock has them."""
    try:
        from ..simulation.presets import PRESETS
    except ModuleNotFoundError as missing:
        if missing.name == PRESETS_MODULE:
            return {}
        raise
    return PRESETS


def format_offset(offset: timedelta) -> str:
    """900 s -> "+15 min", 93784 s -> "+1 j 2 h 3 min 4 s"."""
    seconds = int(offset.total_seconds())
    if seconds <= 0:
        return WORDS["clock_real"]
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{value} {unit}" for value, unit in ((days, "j"), (hours, "h"), (minutes, "min"), (secs, "s")) if value]
    return "+" + " ".join(parts)


def _notice() -> tuple[str, list[str]] | None:
    """The last action's outcome (from the redirect's query), and its details."""
    done = request.args.get("fait")
    if done not in WORDS["done"]:
        return None
    return WORDS["done"][done].format(n=request.args.get("n", "")), request.args.getlist("d")[:20]


def _page(*, form: Mapping[str, str] | None = None, form_error: str | None = None, error_field: str | None = None,
          error: tuple[str, str] | None = None, advance: str = "", status: int = 200) -> tuple[str, int]:
    """The dashboard; `error` is (section id, message) for a refused action."""
    ctx = mock()
    store = ctx.store
    personas = store.list_personas()
    names = {persona.id: persona.display_name for persona in personas}
    clock = store.clock
    # Static files and icons hidden unless asked (?static=1): a page load is one line, not four.
    show_static = request.args.get("static", "").lower() in TRUE_WORDS
    return render_template(
        "dashboard.html",
        words=WORDS,
        sites=_sites(),
        personas=[_persona_view(persona) for persona in personas],
        messages=store.outbox()[:OUTBOX_SIZE],
        faults=[_fault_view(fault, names) for fault in store.faults.list()],
        presets=list(_presets().values()),
        kinds=KINDS,
        applies_to=APPLIES_TO,
        site_ids=SITES,
        site_names={site: _site_name(site) for site in SITES},
        methods=METHODS,
        fc_clients=store.oidc.list_clients(FRANCECONNECT),
        names=names,
        now=clock.now(),
        offset=format_offset(clock.offset),
        clock_steps=CLOCK_STEPS,
        journal=list(reversed(store.journal.entries(limit=JOURNAL_SIZE, static=show_static))),
        show_static=show_static,
        # The address the page keeps and refreshes itself from.
        live_url=url_for("control.dashboard", static=1 if show_static else None),
        form=form or {},
        form_error=form_error,
        error_field=error_field,
        advance=advance,
        error_section=error[0] if error else None,
        error=error[1] if error else None,
        notice=_notice() if status == 200 else None,
    ), status


def _back(done: str, n: object = None, anchor: str | None = None) -> Response:
    return redirect(url_for("control.dashboard", fait=done, n=n, _anchor=anchor), 303)


# Routes ---------------------------------------------------------------------


@bp.get("/")
def dashboard():
    return _page()


@bp.post("/")
@bp.post("/dashboard/faults")
def dashboard_add_fault():
    form = {name: request.form.get(name, "") for name in FAULT_FIELDS}
    body = fault_body(request.form)
    store = mock().store
    try:
        if "persona" in body and store.get_persona(body["persona"]) is None:
            raise FaultError("persona", "no such persona")
        if "client" in body and store.oidc.get_client(FRANCECONNECT, body["client"]) is None:
            raise FaultError("client", "no such FranceConnect client")
        fault = store.faults.add(body)
    except FaultError as problem:
        return _page(form=form, form_error=french_fault_error(problem, body), error_field=problem.field, status=422)
    return _back("fault_added", fault.id, "pannes")


@bp.post("/dashboard/faults/<int:fault_id>/delete")
def dashboard_remove_fault(fault_id: int):
    if not mock().store.faults.remove(fault_id):
        return _page(error=("pannes", WORDS["unknown_fault"].format(id=fault_id)), status=404)
    return _back("fault_removed", fault_id, "pannes")


@bp.post("/dashboard/faults/clear")
def dashboard_clear_faults():
    mock().store.faults.reset()
    return _back("faults_cleared", anchor="pannes")


@bp.post("/dashboard/scenarios/<name>")
def dashboard_activate_preset(name: str):
    preset = _presets().get(name)
    if preset is None:
        return _page(error=("scenarios", WORDS["unknown_preset"].format(name=name)), status=404)
    ctx = mock()
    # Preset.apply(store, config); an earlier draft took the store alone.
    takes_config = len(inspect.signature(preset.apply).parameters) >= 2
    try:
        done = preset.apply(ctx.store, ctx.config) if takes_config else preset.apply(ctx.store)
    except FaultError as problem:
        return _page(error=("scenarios", WORDS["errors"]["other"].format(message=str(problem))), status=422)
    # What the scenario did ("compte bloqué : P123… / mot de passe"), shown under the notice.
    details = [str(line) for line in done or ()] if isinstance(done, (list, tuple)) else []
    return redirect(url_for("control.dashboard", fait="preset", n=name, d=details, _anchor="pannes"), 303)


@bp.post("/dashboard/clock")
def dashboard_advance_clock():
    advance = request.form.get("advance", "").strip()
    try:
        mock().store.clock.advance(parse_duration(advance))
    except (ControlError, OverflowError):
        return _page(error=("horloge", WORDS["clock_error"]), advance=advance, status=422)
    return _back("clock_advanced", anchor="horloge")


@bp.post("/dashboard/clock/real-time")
def dashboard_real_time():
    mock().store.clock.reset()
    return _back("clock_reset", anchor="horloge")
