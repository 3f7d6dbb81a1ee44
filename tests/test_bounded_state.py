"""Nothing that traffic adds to the mock grows without bound: each board forgets
what has expired (on the mock clock) and keeps at most its cap
(mock_server/bounded.py). Fast: the store directly, or Flask's test client."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mock_server import approvals, store as store_module
from mock_server.bounded import BoundedMap
from mock_server.clock import MockClock
from mock_server.oidc import state as oidc_state
from mock_server.oidc.relying_party import MAX_PENDING_STATES
from mock_server.oidc.state import CodeProblem, Grant
from mock_server.simulation import journal

from .fc_flow import loopback_session
from .test_verification import E, assert_refused, enter, walk_to_code

MANY = 20_000
LOCK = timedelta(minutes=15)


# The map itself ----------------------------------------------------------------


def test_a_bounded_map_drops_the_oldest_past_its_cap() -> None:
    clock = MockClock()
    dropped = []
    seen = BoundedMap(clock, 3, lambda value: None, on_drop=lambda key, value: dropped.append(key))
    for key in "abcd":
        seen.put(key, key.upper())
    assert list(seen) == ["b", "c", "d"] and dropped == ["a"]
    seen.put("b", "B")  # put again: the newest now
    seen.put("e", "E")
    assert list(seen) == ["d", "b", "e"]


def test_a_bounded_map_drops_what_expired_when_something_is_put() -> None:
    clock = MockClock()
    now = clock.now()
    seen = BoundedMap(clock, 100, lambda value: value)
    seen.put("soon", now + timedelta(minutes=1))
    seen.put("later", now + timedelta(minutes=10))
    clock.advance(timedelta(minutes=2))
    assert "soon" in seen  # nothing is swept until the next put
    seen.put("new", clock.now() + timedelta(minutes=1))
    assert list(seen) == ["later", "new"]


# Sessions -----------------------------------------------------------------------


def test_twenty_thousand_sessions_leave_at_most_the_cap(store) -> None:
    for n in range(MANY):
        store.save_session(f"sid-{n}", {"csrf_token": "t"})
    assert len(store._sessions) == store_module.MAX_SESSIONS
    assert store.load_session(f"sid-{MANY - 1}") is not None
    assert store.load_session("sid-0") is None


def test_idle_sessions_are_purged_once_the_clock_has_passed_their_idle_time(store) -> None:
    for n in range(100):
        store.save_session(f"sid-{n}", {"persona_id": "p"})
    store.clock.advance(timedelta(minutes=31))
    store.save_session("new", {"persona_id": "p"})
    assert list(store._sessions) == ["new"]


def test_the_cap_drops_the_session_seen_least_recently(store, monkeypatch) -> None:
    monkeypatch.setattr(store._sessions, "cap", 3)
    for sid in ("a", "b", "c"):
        store.save_session(sid, {"n": sid})
    store.touch_session("a")  # a request of session "a" that changed nothing
    store.save_session("d", {"n": "d"})
    assert sorted(store._sessions) == ["a", "c", "d"]


def test_visitors_of_the_login_page_leave_at_most_the_cap(mock_app, store, monkeypatch) -> None:
    monkeypatch.setattr(store._sessions, "cap", 5)
    for _ in range(20):  # each a new browser: its CSRF token opens a session
        assert mock_app.sites["moncompte"].test_client().get("/connexion").status_code == 200
    assert len(store._sessions) == 5


# Failed logins ------------------------------------------------------------------


def test_failed_logins_of_twenty_thousand_unknown_identifiers_are_capped(store) -> None:
    for n in range(MANY):
        store.record_failed_login(f"1{n:012d}", threshold=5, lock_for=LOCK)
    assert len(store._failures) == store_module.MAX_FAILED_LOGINS
    assert store.record_failed_login(f"1{MANY - 1:012d}", threshold=5, lock_for=LOCK).count == 2


def test_a_lock_that_has_run_out_is_forgotten(store) -> None:
    assert store.record_failed_login("1840512345678", threshold=1, lock_for=LOCK).locked_until
    store.clock.advance(LOCK + timedelta(seconds=1))
    store.record_failed_login("2840512345678", threshold=1, lock_for=LOCK)
    assert list(store._locks) == ["2840512345678"]
    assert store.locked_until("1840512345678") is None


def test_a_lock_in_force_outlasts_failures_with_twenty_thousand_other_identifiers(store) -> None:
    victim = "1840512345678"
    for _ in range(5):
        store.record_failed_login(victim, threshold=5, lock_for=LOCK)
    for n in range(MANY):
        store.record_failed_login(f"2{n:012d}", threshold=5, lock_for=LOCK)
    assert store.locked_until(victim) is not None
    assert store.record_failed_login(victim, threshold=5, lock_for=LOCK).locked_until == store.locked_until(victim)


def test_the_cap_drops_the_oldest_failure_account_or_not(store, add_persona, monkeypatch) -> None:
    monkeypatch.setattr(store._failures, "cap", 2)
    known = add_persona().identifier
    for identifier in (known, "1840512345678", "2840512345678"):
        store.record_failed_login(identifier, threshold=5, lock_for=LOCK)
    assert known not in store._failures  # the oldest goes, as an unknown one would


# One-time codes ----------------------------------------------------------------


def issue(store, persona_id: str = "p"):
    return store.issue_code(purpose="reset", persona_id=persona_id, channel="sms", code="123456",
                            valid_for=timedelta(minutes=15))


def test_codes_are_forgotten_an_hour_after_they_expire(store) -> None:
    old = issue(store)
    store.clock.advance(timedelta(minutes=15) + store_module.CODE_KEPT_AFTER_EXPIRY)
    issue(store, "q")
    assert store.get_code(old.id) is None and len(store._codes) == 1


def test_codes_are_capped(store, monkeypatch) -> None:
    monkeypatch.setattr(store._codes, "cap", 100)
    for n in range(1_000):
        issue(store, f"p{n}")
    assert len(store._codes) == 100


def test_a_code_forgotten_since_reads_as_expired(client, store, persona) -> None:
    message = walk_to_code(client, store, persona.nir)
    code_id = max(store._codes)
    for _ in range(3):  # the person keeps the page open: the session lives on
        store.clock.advance(timedelta(minutes=26))
        assert client.get("/mot-de-passe-oublie/code").status_code == 200
    issue(store, "someone-else")
    assert store.get_code(code_id) is None
    assert_refused(enter(client, message.code), E["code_expired"])


def test_code_requests_are_forgotten_after_an_hour(store) -> None:
    store.record_code_request("reset", "1840512345678")
    store.clock.advance(store_module.CODE_REQUEST_KEPT_FOR)
    store.record_code_request("reset", "2840512345678")
    assert store.last_code_request("reset", "1840512345678") is None
    assert len(store._code_requests) == 1


def test_code_requests_of_twenty_thousand_identifiers_are_capped(store) -> None:
    for n in range(MANY):
        store.record_code_request("reset", f"1{n:012d}")
    assert len(store._code_requests) == store_module.MAX_CODE_REQUESTS


# Outbox ------------------------------------------------------------------------


def test_the_outbox_keeps_the_newest_messages(store) -> None:
    sent = [store.send(channel="sms", to="0612345678", subject=None, text=f"code {n}", html=None,
                       code=f"{n:06d}", purpose="reset") for n in range(store_module.MAX_OUTBOX_MESSAGES + 500)]
    kept = store.outbox()
    assert len(kept) == store_module.MAX_OUTBOX_MESSAGES
    assert kept[0] == sent[-1] and kept[-1] == sent[500]
    assert len(store._arrived) == store_module.MAX_OUTBOX_MESSAGES


# OpenID Connect: authorization requests, codes, tokens ----------------------------


def save_request(store, lifetime: timedelta = timedelta(minutes=10)):
    return store.oidc.save_request(issuer="franceconnect", client_id="c", redirect_uri="https://rp.example/cb",
                                   state="s" * 32, nonce="n" * 32, scope=("openid",), acr_values="eidas1",
                                   prompt=(), lifetime=lifetime)


GRANT = Grant(issuer="franceconnect", client_id="c", redirect_uri="https://rp.example/cb", scope=("openid",),
              nonce="n" * 32, sub="sub", claims={"given_name": "Marie"}, acr="eidas1", amr=("pwd",), auth_time=0)


def redeem(store, code: str):
    return store.oidc.redeem_code(code, issuer="franceconnect", client_id="c", redirect_uri="https://rp.example/cb")


def test_twenty_thousand_abandoned_authorization_requests_leave_at_most_the_cap(store) -> None:
    for _ in range(MANY):
        last = save_request(store)
    assert len(store.oidc._requests) == oidc_state.MAX_PENDING_REQUESTS
    assert store.oidc.get_request(last.id) == last


def test_expired_authorization_requests_are_purged_after_the_clock_moves(store) -> None:
    old = [save_request(store) for _ in range(50)]
    store.clock.advance(timedelta(minutes=10))
    new = save_request(store)
    assert list(store.oidc._requests) == [new.id]
    assert store.oidc.get_request(old[0].id) is None


def test_expired_fc_codes_are_purged_after_the_clock_moves(store) -> None:
    code = store.oidc.issue_code(GRANT, timedelta(seconds=30))
    store.clock.advance(timedelta(seconds=31))
    with pytest.raises(CodeProblem, match="expired"):  # still known: refused as expired
        redeem(store, code)
    store.clock.advance(oidc_state.KEPT_AFTER_EXPIRY)
    store.oidc.issue_code(GRANT, timedelta(seconds=30))
    with pytest.raises(CodeProblem, match="unknown"):
        redeem(store, code)
    assert len(store.oidc._codes) == 1


def test_expired_access_tokens_are_purged_after_the_clock_moves(store) -> None:
    code = store.oidc.issue_code(GRANT, timedelta(seconds=30))
    token = store.oidc.issue_token(code, redeem(store, code), timedelta(seconds=60))
    store.clock.advance(timedelta(seconds=61))
    assert store.oidc.token_grant(token, issuer="franceconnect") == (None, "access token expired")
    store.clock.advance(oidc_state.KEPT_AFTER_EXPIRY)
    store.oidc.issue_token(code, GRANT, timedelta(seconds=60))
    assert store.oidc.token_grant(token, issuer="franceconnect") == (None, "access token unknown")


def test_a_replayed_code_still_revokes_its_token_while_the_token_lives(store) -> None:
    code = store.oidc.issue_code(GRANT, timedelta(seconds=30))
    token = store.oidc.issue_token(code, redeem(store, code), timedelta(seconds=60))
    store.clock.advance(timedelta(seconds=59))
    store.oidc.issue_code(GRANT, timedelta(seconds=30))  # a sweep: the used code is kept
    with pytest.raises(CodeProblem, match="^used$"):
        redeem(store, code)
    assert store.oidc.token_grant(token, issuer="franceconnect") == (None, "access token revoked")


def test_twenty_thousand_codes_and_tokens_leave_at_most_the_caps(store) -> None:
    for _ in range(MANY):
        code = store.oidc.issue_code(GRANT, timedelta(seconds=30))
        store.oidc.issue_token(code, GRANT, timedelta(seconds=60))
    assert len(store.oidc._codes) == oidc_state.MAX_CODES
    assert len(store.oidc._tokens) == oidc_state.MAX_TOKENS


# France Identité approvals ------------------------------------------------------


def test_approvals_are_forgotten_once_their_request_cannot_reach_them(store) -> None:
    store.approvals.open("abandoned")
    store.clock.advance(approvals.KEPT_FOR)
    store.approvals.open("new")
    assert store.approvals.get("abandoned") is None and list(store.approvals._by_request) == ["new"]


def test_an_expired_approval_is_kept_while_its_request_lives(store) -> None:
    store.approvals.open("waiting")
    store.clock.advance(approvals.APPROVAL_LIFETIME)
    store.approvals.open("other")
    assert store.approvals.get("waiting").status == approvals.EXPIRED


def test_approvals_are_capped(store) -> None:
    for n in range(approvals.MAX_APPROVALS + 200):
        store.approvals.open(f"request-{n}")
    assert len(store.approvals._by_request) == approvals.MAX_APPROVALS


# Journal (capped since it exists) -----------------------------------------------


def test_the_journal_keeps_the_newest_requests(store) -> None:
    for _ in range(journal.CAPACITY + 10):
        store.journal.record(site="moncompte", method="GET", path="/", status=200, duration_ms=1.0,
                             persona=None, persona_name=None, fault=None)
    entries = store.journal.entries()
    assert len(entries) == journal.CAPACITY and entries[0].id == 11


# Inside one session: logins started and abandoned ----------------------------------


def test_a_tab_that_abandons_franceconnect_logins_keeps_a_small_session(live_server, sites) -> None:
    if live_server is None:
        pytest.skip("reads the embedded mock's store")
    http = loopback_session()
    for _ in range(MAX_PENDING_STATES + 5):
        started = http.get(sites["moncompte"] + "/connexion/franceconnect", allow_redirects=False)
        assert started.status_code == 302, started.text[:300]
    sid = next(cookie.value for cookie in http.cookies if cookie.name == "moncompte_session")
    data = live_server.store.load_session(sid)
    assert len([key for key in data if key.startswith("_state_franceconnect_")]) == MAX_PENDING_STATES


def test_the_newest_abandoned_login_still_completes(mock_app) -> None:
    """The states kept are the newest: the last login started is the one that can finish."""
    app = mock_app.sites["moncompte"]
    rp = app.extensions["franceconnect_client"]
    with app.test_request_context("/"):
        from flask import session

        for n in range(MAX_PENDING_STATES + 3):
            session[f"_state_franceconnect_{n}"] = {"data": {}, "exp": 0}
        session["other"] = 1
        rp._forget_old_states()
        kept = [key for key in session if key.startswith("_state_franceconnect_")]
        assert kept == [f"_state_franceconnect_{n}" for n in range(4, MAX_PENDING_STATES + 3)]
        assert session["other"] == 1
