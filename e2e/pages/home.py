from __future__ import annotations

from .base import SitePage
from .login import LoginPage


class HomePage(SitePage):
    path = "/"

    def go_to_mon_compte(self) -> LoginPage:
        self.mon_compte_icon.click()
        return LoginPage(self.page)
