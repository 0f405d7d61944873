"""Lockout after repeated failed logins: KINGA_LOCKOUT_FAILURES failures for one username from one
IP address within KINGA_LOCKOUT_WINDOW_MINUTES lock that pair until the oldest of them leaves the
window. Per username + IP so that an attacker cannot lock a worker out from everywhere by typing
her username; a successful login clears the pair's count. Attempts while locked are not counted
(the lock does not grow for ever)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _window_start():
    return timezone.now() - timedelta(minutes=settings.KINGA_LOCKOUT_WINDOW_MINUTES)


def _recent(username: str, ip: str | None):
    return LoginFailure.objects.filter(username=username.lower(), ip=ip, at__gte=_window_start())


def is_locked(username: str, ip: str | None) -> bool:
    return _recent(username, ip).count() >= settings.KINGA_LOCKOUT_FAILURES


def record_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip, at=timezone.now())
    # Keep the table small: rows older than a day say nothing about lockout.
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def clear(username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(username=username.lower(), ip=ip).delete()
