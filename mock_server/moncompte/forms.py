"""Forms of Mon Compte: the same rules as the browser, checked again on the server."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField

from .. import texts
from ..rules.nir import check_nir, normalize_nir
from ..rules.password import check_password
from ..rules.provisional import check_provisional_id, normalize_provisional_id

# Messages the browser-side validation shows, keyed like the rule codes.
BROWSER_MESSAGES = {
    "nir": texts.NIR_ERRORS,
    "provisional_id": texts.PROVISIONAL_ERRORS,
    "password": texts.PASSWORD_ERRORS,
}


class IdentifierForm(FlaskForm):
    """A NIR, or a provisional identifier when the box is ticked."""

    nir = StringField(texts.LOGIN["nir_label"])
    provisional = BooleanField(texts.LOGIN["provisional_toggle"])
    provisional_id = StringField(texts.LOGIN["provisional_label"])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.provisional.data:
            code = check_provisional_id(self.provisional_id.data or "")
            if code:
                self.provisional_id.errors = [texts.PROVISIONAL_ERRORS[code]]
        else:
            code = check_nir(self.nir.data or "")
            if code:
                self.nir.errors = [texts.NIR_ERRORS[code]]
        return valid and not (self.nir.errors or self.provisional_id.errors)

    def identifier(self) -> str:
        if self.provisional.data:
            return normalize_provisional_id(self.provisional_id.data or "")
        return normalize_nir(self.nir.data or "")


def _password_errors(field: PasswordField) -> bool:
    code = check_password(field.data or "")
    if code:
        field.errors = [texts.PASSWORD_ERRORS[code]]
    return not code


class LoginForm(IdentifierForm):
    remember = BooleanField(texts.LOGIN["remember_me"])
    password = PasswordField(texts.LOGIN["password_label"])

    def validate(self, extra_validators: Any = None) -> bool:
        identifier_ok = super().validate(extra_validators)
        return _password_errors(self.password) and identifier_ok


class ChannelForm(FlaskForm):
    """Where to receive the code; choices are set per persona."""

    channel = RadioField(texts.VERIFY["channel_legend"], choices=[], validate_choice=False)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.channel.data not in {value for value, _ in self.channel.choices}:
            self.channel.errors = [texts.VERIFY_ERRORS["channel_required"]]
            return False
        return valid


class CodeForm(FlaskForm):
    code = StringField(texts.VERIFY["code_label"])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        value = self.submitted()
        if not value:
            self.code.errors = [texts.VERIFY_ERRORS["code_required"]]
        elif len(value) != 6 or not value.isascii() or not value.isdigit():
            self.code.errors = [texts.VERIFY_ERRORS["code_format"]]
        return valid and not self.code.errors

    def submitted(self) -> str:
        return "".join((self.code.data or "").split())


class NewPasswordForm(FlaskForm):
    password = PasswordField(texts.VERIFY["new_password_label"])
    confirm = PasswordField(texts.VERIFY["confirm_label"])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators) and _password_errors(self.password)
        if not self.confirm.data:
            self.confirm.errors = [texts.VERIFY_ERRORS["confirm_required"]]
        elif valid and self.confirm.data != self.password.data:
            self.confirm.errors = [texts.VERIFY_ERRORS["mismatch"]]
        return valid and not self.confirm.errors
