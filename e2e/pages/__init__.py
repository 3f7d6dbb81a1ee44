"""Page objects: one class per page, located by role and label, texts from mock_server.texts."""

from .account import AccountPage
from .fc_result import FcRefusedPage, NoAccountPage
from .franceconnect import ChooserPage, ConnectedPage, FcLoggedOutPage, TechnicalErrorPage
from .help import HelpPage
from .home import HomePage
from .logged_out import LoggedOutPage
from .login import LoginPage
from .reset import ChannelStep, CodeStep, IdentifyStep, Inbox, NewPasswordStep, ResetDonePage

__all__ = [
    "AccountPage",
    "ChannelStep",
    "ChooserPage",
    "ConnectedPage",
    "FcLoggedOutPage",
    "FcRefusedPage",
    "CodeStep",
    "HelpPage",
    "HomePage",
    "IdentifyStep",
    "Inbox",
    "LoggedOutPage",
    "LoginPage",
    "NewPasswordStep",
    "NoAccountPage",
    "ResetDonePage",
    "TechnicalErrorPage",
]
