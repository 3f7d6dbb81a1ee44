"""The lockout rule every login form of the mock follows, Mon Compte's and each
identity provider's: `lockout_threshold` failures in a row lock an identifier
for `lockout_minutes` (mock clock), whether it has an account or not, so a lock
never tells which identifiers are registered."""

from __future__ import annotations

from datetime import timedelta

from .context import mock


def locked_message(template: str) -> str:
    """A site's lockout message ("{attempts}", "{minutes}") with the rule's figures."""
    config = mock().config
    return template.format(attempts=config.lockout_threshold, minutes=config.lockout_minutes)


def is_locked(key: str) -> bool:
    return mock().store.locked_until(key) is not None


def record_failure(key: str) -> bool:
    """Count one more failure for `key`; whether that locks it."""
    ctx = mock()
    failures = ctx.store.record_failed_login(key, threshold=ctx.config.lockout_threshold,
                                             lock_for=timedelta(minutes=ctx.config.lockout_minutes))
    return failures.locked_until is not None


def record_success(key: str) -> None:
    mock().store.clear_failed_logins(key)
