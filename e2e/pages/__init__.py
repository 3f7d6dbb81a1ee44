"""Page objects: one class per page, located by role and label, texts from mock_server.texts."""

from .account import AccountPage, PaymentsPage, ProfilePage
from .dashboard import DashboardPage
from .errors import ErrorPage
from .fc_result import FcRefusedPage, FcUnavailablePage, NoAccountPage
from .franceconnect import ChooserPage, ConnectedPage, FcLoggedOutPage, TechnicalErrorPage
from .help import HelpPage
from .home import HomePage
from .identity_provider import ApprovalWaitingPage, ProviderLoginPage
from .logged_out import LoggedOutPage
from .login import LoginPage
from .network_error import NetworkErrorPage
from .reset import ChannelStep, CodeStep, IdentifyStep, Inbox, NewPasswordStep, ResetDonePage

__all__ = [
    "AccountPage",
    "ApprovalWaitingPage",
    "ChannelStep",
    "ChooserPage",
    "CodeStep",
    "ConnectedPage",
    "DashboardPage",
    "ErrorPage",
    "FcLoggedOutPage",
    "FcRefusedPage",
    "FcUnavailablePage",
    "HelpPage",
    "HomePage",
    "IdentifyStep",
    "Inbox",
    "LoggedOutPage",
    "LoginPage",
    "NetworkErrorPage",
    "NewPasswordStep",
    "NoAccountPage",
    "PaymentsPage",
    "ProfilePage",
    "ProviderLoginPage",
    "ResetDonePage",
    "TechnicalErrorPage",
]
