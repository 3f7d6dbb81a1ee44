"""The steps "Mot de passe oublié ?" and "Première connexion ? Créer Mon Compte"
share: identify, choose where the code goes, enter it, choose a password.

Each step takes the flow's name ("reset" or "signup"): the pages are the same,
only the flow's title and the password step's heading differ. `Inbox` is the
person's phone or mailbox, read through the mock's outbox.
"""

from __future__ import annotations

import os
import re

from playwright.sync_api import Locator, Page

from pytest_franceconnect_mock.control import ControlClient, Message
from mock_server import texts
from mock_server.personas import Persona

from .account import AccountPage
from .base import SitePage
from .login import LoginPage

L, V = texts.LOGIN, texts.VERIFY
FLOWS = {
    "reset": {"texts": texts.RESET, "path": "/mot-de-passe-oublie", "login_link": L["forgot_password"]},
    "signup": {"texts": texts.SIGNUP, "path": "/creer-mon-compte", "login_link": L["signup"]},
}


def masked_destination(persona: Persona, channel: str) -> str:
    """What the screens show of where the code goes: "06 •• •• •• 42", "j•••@example.org"."""
    if channel == "sms":
        return f"{persona.phone[:2]} •• •• •• {persona.phone[-2:]}"
    local, _, domain = persona.email.partition("@")
    return f"{local[0]}•••@{domain}"


def _starting(template: str) -> re.Pattern[str]:
    """Any text made from a template such as "Par SMS au {phone}"."""
    return re.compile("^" + re.escape(template.split("{")[0]))


class FlowStep(SitePage):
    """What every step shows: the flow's name, a heading, alerts and notices."""

    def __init__(self, page: Page, flow: str = "reset") -> None:
        super().__init__(page)
        self.flow = flow
        self.flow_texts = FLOWS[flow]["texts"]
        self.path = FLOWS[flow]["path"]
        self.alert = page.get_by_role("alert")
        self.status = page.get_by_role("status")
        self.back_to_login = self.link(texts.HELP["back_to_login"])


class IdentifyStep(FlowStep):
    """The identifier, as on the login page: a NIR, or a provisional identifier."""

    def __init__(self, page: Page, flow: str = "reset") -> None:
        super().__init__(page, flow)
        self.title = page.get_by_role("heading", name=self.flow_texts["title"], exact=True, level=1)
        self.intro = page.get_by_text(self.flow_texts["intro"], exact=True)
        self.nir = page.get_by_label(L["nir_label"], exact=True)
        self.provisional_toggle = page.get_by_role("checkbox", name=L["provisional_toggle"], exact=True)
        self.provisional_id = page.get_by_label(L["provisional_label"], exact=True)
        self.continue_button = page.get_by_role("button", name=V["continue"], exact=True)

    @classmethod
    def from_login(cls, login: LoginPage, flow: str = "reset") -> "IdentifyStep":
        """Follow the login page's link: "Mot de passe oublié ?" or "Première connexion ? …"."""
        login.link(FLOWS[flow]["login_link"]).click()
        return cls(login.page, flow)

    def identify_with_nir(self, nir: str) -> "ChannelStep":
        if self.provisional_toggle.is_checked():
            self.provisional_toggle.uncheck()
        self.nir.fill(nir)
        self.continue_button.click()
        return ChannelStep(self.page, self.flow)

    def identify_with_provisional(self, provisional_id: str) -> "ChannelStep":
        self.provisional_toggle.check()
        self.provisional_id.fill(provisional_id)
        self.continue_button.click()
        return ChannelStep(self.page, self.flow)

    def identify(self, persona: Persona) -> "ChannelStep":
        """Type the persona's identifier the way they log in."""
        if persona.provisional_id:
            return self.identify_with_provisional(persona.provisional_id)
        return self.identify_with_nir(persona.nir)

    def fill(self, persona: Persona) -> "IdentifyStep":
        """The persona's identifier typed, not yet sent."""
        if persona.provisional_id:
            self.provisional_toggle.check()
            self.provisional_id.fill(persona.provisional_id)
        else:
            self.nir.fill(persona.nir)
        return self


class ChannelStep(FlowStep):
    """Comment souhaitez-vous recevoir votre code ? — by SMS or by mail."""

    def __init__(self, page: Page, flow: str = "reset") -> None:
        super().__init__(page, flow)
        self.title = page.get_by_role("heading", name=V["channel_title"], exact=True, level=1)
        self.choices = page.get_by_role("group", name=V["channel_legend"], exact=True)
        self.options = self.choices.get_by_role("radio")
        self.send_button = page.get_by_role("button", name=V["send_code"], exact=True)

    def option(self, channel: str) -> Locator:
        """The radio button for "sms" or "mail", whatever the masked destination."""
        return self.choices.get_by_role("radio", name=_starting(V[f"channel_{channel}"]))

    def option_for(self, persona: Persona, channel: str) -> Locator:
        """The option exactly as this persona should see it: "Par SMS au 06 •• •• •• 42"."""
        name = V[f"channel_{channel}"].format(phone=masked_destination(persona, channel),
                                              email=masked_destination(persona, channel))
        return self.choices.get_by_role("radio", name=name, exact=True)

    def choose(self, channel: str) -> "CodeStep":
        self.option(channel).check()
        return self.send()

    def send(self) -> "CodeStep":
        """"Recevoir mon code" with the option already chosen."""
        self.send_button.click()
        return CodeStep(self.page, self.flow)


class CodeStep(FlowStep):
    """Saisissez le code reçu — with "Renvoyer le code"."""

    def __init__(self, page: Page, flow: str = "reset") -> None:
        super().__init__(page, flow)
        self.title = page.get_by_role("heading", name=V["code_title"], exact=True, level=1)
        common = os.path.commonprefix([V["code_sent_sms"], V["code_sent_mail"]])
        self.sent = page.get_by_text(_starting(common))
        self.code = page.get_by_label(V["code_label"], exact=True)
        self.validate_button = page.get_by_role("button", name=V["validate"], exact=True)
        self.resend_button = page.get_by_role("button", name=V["resend"], exact=True)

    def sent_to(self, persona: Persona, channel: str) -> Locator:
        """"Un code à 6 chiffres vous a été envoyé par SMS au 06 •• •• •• 42. …"."""
        masked = masked_destination(persona, channel)
        return self.page.get_by_text(V[f"code_sent_{channel}"].format(phone=masked, email=masked), exact=True)

    def enter(self, code: str) -> "NewPasswordStep":
        """Type the code and wait for the answer: the next page, or this one with a message."""
        self.code.fill(code)
        # The same message can come twice in a row (e.g. code_exhausted): waiting
        # for the new page keeps an assertion from passing on the previous one.
        with self.page.expect_navigation():
            self.validate_button.click()
        return NewPasswordStep(self.page, self.flow)

    def resend(self) -> "CodeStep":
        self.resend_button.click()
        return self


class NewPasswordStep(FlowStep):
    """The new password, twice."""

    def __init__(self, page: Page, flow: str = "reset") -> None:
        super().__init__(page, flow)
        self.title = page.get_by_role("heading", name=self.flow_texts["password_title"], exact=True, level=1)
        self.password = page.get_by_label(V["new_password_label"], exact=True)
        self.confirm = page.get_by_label(V["confirm_label"], exact=True)
        self.save_button = page.get_by_role("button", name=V["save"], exact=True)

    def save(self, password: str, confirm: str | None = None) -> None:
        self.password.fill(password)
        self.confirm.fill(password if confirm is None else confirm)
        self.save_button.click()

    def finish_reset(self, password: str) -> "ResetDonePage":
        self.save(password)
        return ResetDonePage(self.page)

    def finish_signup(self, password: str) -> AccountPage:
        self.save(password)
        return AccountPage(self.page)


class ResetDonePage(SitePage):
    path = "/mot-de-passe-oublie/termine"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=texts.RESET["done_title"], exact=True, level=1)
        self.status = page.get_by_role("status")
        self.login_link = self.link(texts.RESET["login_link"])

    def go_to_login(self) -> LoginPage:
        self.login_link.click()
        return LoginPage(self.page)


class Inbox:
    """A persona's phone ("sms") or mailbox ("mail"): each read is the next
    message to arrive there, as a person waits for their phone to buzz."""

    def __init__(self, control: ControlClient, persona: Persona, channel: str) -> None:
        self.control = control
        self.to = persona.contacts[channel]
        assert self.to, f"persona {persona.id} has no {channel} destination"
        earlier = control.outbox(to=self.to)
        self.last: Message | None = earlier[0] if earlier else None

    def next(self) -> Message:
        self.last = self.control.wait_for_message(self.to, after=self.last)
        return self.last

    def next_code(self) -> str:
        """The code as a person reads it: the 6 digits in the message's text."""
        found = re.search(r"\b[0-9]{6}\b", self.next().text)
        assert found, f"no 6-digit code in: {self.last.text!r}"
        return found.group()

    def messages(self) -> list[Message]:
        return self.control.outbox(to=self.to)
