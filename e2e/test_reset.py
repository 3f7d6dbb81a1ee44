"""Mot de passe oublié ? — a code by SMS or by mail, then a new password.

The code is read where the person would read it: their phone or mailbox (the
mock's outbox). Expiry and the resend cooldown are reached by moving the
mock's clock, never by waiting.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from fixtures import guide
from fixtures.bad_inputs import BAD_PASSWORDS
from pytest_franceconnect_mock.control import ControlClient
from mock_server import texts
from mock_server.personas import Persona

from .pages import (
    AccountPage,
    ChannelStep,
    CodeStep,
    IdentifyStep,
    Inbox,
    LoginPage,
    NewPasswordStep,
    ResetDonePage,
)
from .steps import StepRecorder

pytestmark = pytest.mark.reset

E, V = texts.VERIFY_ERRORS, texts.VERIFY
BAD = texts.LOGIN_ERRORS["bad_credentials"]
LOCKED_AFTER_TWO = texts.LOGIN_ERRORS["locked"].format(attempts=2, minutes=15)
COOLDOWN = re.compile(re.escape(E["cooldown"]).replace(re.escape("{seconds}"), "([0-9]+)"))
WEAK_PASSWORDS = [c for c in BAD_PASSWORDS if c.id in ("seven-chars", "only-digits", "only-letters")]

StartReset = Callable[..., tuple[CodeStep, Inbox]]


def wrong(code: str, n: int = 1) -> str:
    """Another 6-digit code, as a typo would give."""
    return f"{(int(code) + n) % 10**6:06d}"


def assert_refused(code_step: CodeStep, code: str, message: str) -> None:
    """The code is refused with `message` next to the field, and the next step is not reached."""
    new_step = code_step.enter(code)
    expect(code_step.code).to_have_accessible_description(message)
    expect(new_step.title).to_be_hidden()


@pytest.fixture
def start_reset(page: Page, control: ControlClient, step: StepRecorder) -> StartReset:
    """From the login page's "Mot de passe oublié ?" to "Saisissez le code reçu",
    with the phone or mailbox the code was sent to."""

    def start(persona: Persona, channel: str = "sms") -> tuple[CodeStep, Inbox]:
        inbox = Inbox(control, persona, channel)
        login = LoginPage(page).open()
        with step(guide.FORGOT_LINK, click=login.link(texts.LOGIN["forgot_password"])):
            expect(login.title).to_be_visible()
        identify = IdentifyStep(page)
        with step(guide.FORGOT_IDENTIFY, click=identify.continue_button):
            identify.fill(persona)
        choice = ChannelStep(page)
        with step(guide.FORGOT_CHANNEL, click=choice.send_button):
            choice.option(channel).check()
        code_step = CodeStep(page)
        expect(code_step.sent_to(persona, channel)).to_be_visible()
        return code_step, inbox

    return start


@pytest.mark.title("« Mot de passe oublié ? » : avec le code reçu par {channel}, je crée un nouveau mot de passe et l'ancien est refusé")
@pytest.mark.tutorial(guide.FORGOT.key)
@pytest.mark.parametrize("channel", ["sms", "mail"])
def test_reset_with_the_code_received(
    page: Page, persona: Persona, persona_factory, start_reset: StartReset, channel: str, step: StepRecorder
) -> None:
    step.journey = {"sms": "Je reçois mon code par SMS", "mail": "Je reçois mon code par mail"}[channel]
    code_step, inbox = start_reset(persona, channel)
    code = inbox.next_code()
    message = inbox.last
    assert message.channel == channel
    if channel == "sms":
        assert message.text == texts.MESSAGES["sms"].format(code=code)
    else:
        assert message.subject == texts.RESET["mail_subject"]
        assert texts.MESSAGES["mail_greeting"].format(name=persona.display_name) in message.text

    with step(guide.FORGOT_CODE, click=code_step.validate_button):
        code_step.code.fill(code)
    new_step = NewPasswordStep(page)
    new_password = persona_factory.password()
    with step(guide.FORGOT_NEW_PASSWORD, click=new_step.save_button):
        expect(new_step.title).to_be_visible()
        new_step.password.fill(new_password)
        new_step.confirm.fill(new_password)
    done = ResetDonePage(page)
    with step(guide.PASSWORD_CHANGED, highlight=done.status):
        expect(done.title).to_be_visible()
        expect(done.status).to_have_text(texts.RESET["done_text"])
        expect(page).to_have_url(re.compile(r"/mot-de-passe-oublie/termine$"))

    login = done.go_to_login()
    login.login_with_nir(persona.nir, new_password)
    account = AccountPage(page)
    expect(account.greeting_for(persona.display_name)).to_be_visible()
    account.logout()

    login = LoginPage(page).open()
    login.login_with_nir(persona.nir, persona.password)
    expect(login.alert).to_have_text(BAD)


@pytest.mark.title("Un code erroné indique le nombre d'essais restants, et le bon code passe encore")
def test_wrong_code_tells_how_many_attempts_are_left(persona: Persona, start_reset: StartReset) -> None:
    code_step, inbox = start_reset(persona)
    code = inbox.next_code()
    code_step.enter(wrong(code))
    expect(code_step.code).to_have_accessible_description(E["code_wrong"].format(left=2))
    expect(code_step.title).to_be_visible()
    # Attempts are left: the right code still goes through.
    expect(code_step.enter(code).title).to_be_visible()


@pytest.mark.title("Le code reçu expire au bout de 15 minutes")
def test_code_expires_after_15_minutes(
    control: ControlClient, persona: Persona, start_reset: StartReset
) -> None:
    code_step, inbox = start_reset(persona)
    code = inbox.next_code()
    control.advance_clock(minutes=15)
    new_step = code_step.enter(code)
    expect(code_step.code).to_have_accessible_description(E["code_expired"])
    expect(new_step.title).to_be_hidden()


@pytest.mark.title("Le code d'un changement de mot de passe terminé est refusé lors de la demande suivante")
def test_code_of_a_completed_reset_is_refused_in_the_next_one(
    persona: Persona, persona_factory, start_reset: StartReset, control: ControlClient
) -> None:
    code_step, inbox = start_reset(persona)
    used = inbox.next_code()
    expect(code_step.enter(used).finish_reset(persona_factory.password()).title).to_be_visible()

    control.advance_clock(seconds=60)  # a new code for the same identifier waits 60 s
    code_step, _ = start_reset(persona)
    assert_refused(code_step, used, E["code_used"])


@pytest.mark.title("Un code déjà utilisé, saisi de nouveau après un retour arrière, est refusé")
def test_code_entered_again_after_going_back_is_refused(
    page: Page, persona: Persona, start_reset: StartReset
) -> None:
    code_step, inbox = start_reset(persona)
    code = inbox.next_code()
    expect(code_step.enter(code).title).to_be_visible()
    page.go_back()
    expect(code_step.title).to_be_visible()
    assert_refused(code_step, code, E["code_used"])


@pytest.mark.title("Après trois codes erronés, le code n'est plus valable, même bien saisi")
def test_third_wrong_code_voids_it_even_for_the_right_code(persona: Persona, start_reset: StartReset) -> None:
    code_step, inbox = start_reset(persona)
    code = inbox.next_code()
    for n, left in ((1, 2), (2, 1)):
        code_step.enter(wrong(code, n))
        expect(code_step.code).to_have_accessible_description(E["code_wrong"].format(left=left))
    code_step.enter(wrong(code, 3))
    expect(code_step.code).to_have_accessible_description(E["code_exhausted"])

    assert_refused(code_step, code, E["code_exhausted"])


@pytest.mark.title("« Renvoyer le code » attend 60 secondes, puis le nouveau code remplace l'ancien")
def test_resend_waits_60_seconds_then_replaces_the_code(
    control: ControlClient, persona: Persona, start_reset: StartReset
) -> None:
    code_step, inbox = start_reset(persona)
    first = inbox.next_code()

    code_step.resend()
    expect(code_step.alert).to_have_text(COOLDOWN)
    seconds = int(COOLDOWN.fullmatch(code_step.alert.inner_text()).group(1))
    assert 0 < seconds <= 60
    assert len(inbox.messages()) == 1, "no new code during the cooldown"

    control.advance_clock(seconds=60)
    code_step.resend()
    expect(code_step.status).to_have_text(V["resent"])
    second = inbox.next_code()
    assert second != first

    code_step.enter(first)
    expect(code_step.code).to_have_accessible_description(E["code_replaced"])
    expect(code_step.enter(second).title).to_be_visible()


@pytest.mark.title("Le nouveau mot de passe « {case.value} » est refusé : « {case.message} »")
@pytest.mark.parametrize("case", WEAK_PASSWORDS, ids=lambda c: c.id)
def test_weak_new_password_is_refused(persona: Persona, start_reset: StartReset, case) -> None:
    code_step, inbox = start_reset(persona)
    new_step = code_step.enter(inbox.next_code())
    new_step.save(case.value)
    expect(new_step.password).to_have_accessible_description(case.message)
    expect(new_step.title).to_be_visible()


@pytest.mark.title("Une confirmation différente du nouveau mot de passe est refusée")
def test_confirmation_must_match(persona: Persona, persona_factory, start_reset: StartReset) -> None:
    code_step, inbox = start_reset(persona)
    new_step = code_step.enter(inbox.next_code())
    new_step.save(persona_factory.password(), confirm=persona_factory.password())
    expect(new_step.confirm).to_have_accessible_description(E["mismatch"])
    expect(new_step.title).to_be_visible()


def shape(screen: str) -> str:
    """A screen with what differs between two people made generic: the masked
    phone and mail, and the code typed. Every other word and number must match."""
    screen = re.sub(r"0[67] •• •• •• [0-9]{2}", "06 •• •• •• 00", screen)
    screen = re.sub(r"[a-z]•••@[a-z0-9-]+(\.[a-z0-9-]+)+", "x•••@example.org", screen)
    return re.sub(r'"[0-9]{6}"', '"000000"', screen)


def reset_screens(page: Page, nir: str, wrong_code: Callable[[], str]) -> list[str]:
    """The channel page, the code page and a wrong code's answer, in shape."""
    main = page.get_by_role("main")
    channel_step = IdentifyStep(page).open().identify_with_nir(nir)
    expect(channel_step.title).to_be_visible()
    screens = [shape(main.aria_snapshot())]
    code_step = channel_step.choose("sms")
    expect(code_step.sent).to_be_visible()
    screens.append(shape(main.aria_snapshot()))
    code_step.enter(wrong_code())
    expect(code_step.code).to_have_accessible_description(E["code_wrong"].format(left=2))
    screens.append(shape(main.aria_snapshot()))
    return screens


@pytest.mark.title("Un identifiant inconnu voit les mêmes écrans qu'un compte existant, et aucun code n'est envoyé")
def test_unknown_identifier_gets_the_same_screens_and_nothing_is_sent(
    page: Page, control: ControlClient, persona: Persona, persona_factory
) -> None:
    inbox = Inbox(control, persona, "sms")
    known = reset_screens(page, persona.nir, lambda: wrong(inbox.next_code()))

    # Messages are told apart by id: one sent in an earlier test while the clock
    # was ahead may still arrive when this test moves the clock on.
    newest = max((message.id for message in control.outbox()), default=0)
    unknown = reset_screens(page, persona_factory.nir(), lambda: "123456")
    assert unknown == known

    code_step = CodeStep(page)
    control.advance_clock(seconds=60)
    code_step.resend()
    expect(code_step.status).to_have_text(V["resent"])
    assert control.outbox(after=newest) == [], "nothing is sent for an identifier without account"


@pytest.mark.title("Changer de mot de passe débloque un compte bloqué après des échecs de connexion")
def test_reset_unlocks_an_account_locked_by_failed_logins(
    page: Page, persona: Persona, persona_factory, start_reset: StartReset, mock_settings
) -> None:
    mock_settings(lockout_threshold=2)  # locked sooner: the unlocking is the subject
    login = LoginPage(page).open()
    bad_password = persona_factory.password()
    for expected in [BAD, LOCKED_AFTER_TWO]:
        login.login_with_nir(persona.nir, bad_password)
        expect(login.alert).to_have_text(expected)

    code_step, inbox = start_reset(persona)
    new_password = persona_factory.password()
    login = code_step.enter(inbox.next_code()).finish_reset(new_password).go_to_login()
    login.login_with_nir(persona.nir, new_password)
    expect(AccountPage(page).greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("Un dossier avec une seule coordonnée ne propose que le code par {offered}, qui fonctionne")
@pytest.mark.parametrize(
    ("missing", "offered"), [("phone", "mail"), ("email", "sms")], ids=["no-phone", "no-email"]
)
def test_only_the_personas_channel_is_offered(
    page: Page, login_page: LoginPage, control: ControlClient, make_persona, missing: str, offered: str
) -> None:
    persona = make_persona(**{missing: None})
    inbox = Inbox(control, persona, offered)
    channel_step = IdentifyStep.from_login(login_page).identify(persona)
    expect(channel_step.options).to_have_count(1)
    expect(channel_step.option_for(persona, offered)).to_be_checked()

    code_step = channel_step.send()
    expect(code_step.sent_to(persona, offered)).to_be_visible()
    expect(code_step.enter(inbox.next_code()).title).to_be_visible()


@pytest.mark.title("La page du nouveau mot de passe, sans code vérifié, me renvoie au début de la demande")
def test_new_password_step_needs_a_verified_code(page: Page, persona: Persona, start_reset: StartReset) -> None:
    start_reset(persona)
    page.goto("/mot-de-passe-oublie/mot-de-passe")
    identify = IdentifyStep(page)
    expect(identify.title).to_be_visible()
    expect(identify.status).to_have_text(V["restart"])
    expect(NewPasswordStep(page).password).to_have_count(0)
