"""Page objects: one class per page, located by role and label, texts from mock_server.texts."""

from .account import AccountPage
from .help import HelpPage
from .home import HomePage
from .logged_out import LoggedOutPage
from .login import LoginPage
from .reset import ChannelStep, CodeStep, IdentifyStep, Inbox, NewPasswordStep, ResetDonePage

__all__ = [
    "AccountPage",
    "ChannelStep",
    "CodeStep",
    "HelpPage",
    "HomePage",
    "IdentifyStep",
    "Inbox",
    "LoggedOutPage",
    "LoginPage",
    "NewPasswordStep",
    "ResetDonePage",
]
