"""Sign-in throttling for every sign-in form (the site's, the admin's, the second-factor code), per
account and per address, in the shared cache.

The counts live in Django's default cache, which is shared by every worker and server (the
database cache by default, Redis in production): a worker restart or a second worker does not
reset them.

- per account: 10 failures in 15 minutes lock that account's sign-in for the rest of the window,
  from every address (so one attacker spreading guesses over many addresses is stopped too);
- per address: 30 failures in 15 minutes lock every sign-in from that address (so one address
  cannot try one password against many accounts).

A successful sign-in clears its account's count, not its address's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class Limit:
    account: int
    address: int


LIMITS = {"password": Limit(account=10, address=30), "otp": Limit(account=5, address=30)}

LOCKED_ACCOUNT = ("Too many failed sign-in attempts for this account. Wait 15 minutes and try again, or reset "
                  "your password.")
LOCKED_ADDRESS = "Too many failed sign-in attempts from your network. Wait 15 minutes and try again."


def _key(scope: str, kind: str, value: str) -> str:
    return f"signin-failures:{scope}:{kind}:" + hashlib.sha256(value.strip().lower().encode()).hexdigest()


def _count(key: str) -> int:
    return int(cache.get(key, 0) or 0)


def blocked(*, username: str, address: str, scope: str = "password") -> str:
    """The message to show if sign-in is locked for this account or address, else ""."""
    limit = LIMITS[scope]
    if username and _count(_key(scope, "account", username)) >= limit.account:
        return LOCKED_ACCOUNT
    if _count(_key(scope, "address", address)) >= limit.address:
        return LOCKED_ADDRESS
    return ""


def _increment(key: str) -> int:
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def failed(*, username: str, address: str, scope: str = "password") -> bool:
    """Count one failure; True if this failure has just locked the account or the address."""
    limit = LIMITS[scope]
    account = _increment(_key(scope, "account", username)) if username else 0
    by_address = _increment(_key(scope, "address", address))
    return account == limit.account or by_address == limit.address


def succeeded(*, username: str, scope: str = "password") -> None:
    cache.delete(_key(scope, "account", username))
