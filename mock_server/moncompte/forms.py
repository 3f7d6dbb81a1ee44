"""The login form: the same rules as the browser, checked again on the server."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField

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


class LoginForm(FlaskForm):
    nir = StringField(texts.LOGIN["nir_label"])
    remember = BooleanField(texts.LOGIN["remember_me"])
    provisional = BooleanField(texts.LOGIN["provisional_toggle"])
    provisional_id = StringField(texts.LOGIN["provisional_label"])
    password = PasswordField(texts.LOGIN["password_label"])

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
        code = check_password(self.password.data or "")
        if code:
            self.password.errors = [texts.PASSWORD_ERRORS[code]]
        return valid and not (self.nir.errors or self.provisional_id.errors or self.password.errors)

    def identifier(self) -> str:
        if self.provisional.data:
            return normalize_provisional_id(self.provisional_id.data or "")
        return normalize_nir(self.nir.data or "")
