"""Login rate limiting: 5 failed sign-ins per username and address per 15 minutes, via the cache.

Keyed on both, so one attacker cannot lock a person out from everywhere, and one address cannot
try many passwords against one account. With several app servers, use a shared cache
(Redis or the database cache) so the count is shared too.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _key(username: str, address: str) -> str:
    raw = f"{username.strip().lower()}|{address}".encode()
    return "login-failures:" + hashlib.sha256(raw).hexdigest()


def login_blocked(username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= MAX_FAILURES


def login_failed(username: str, address: str) -> None:
    key = _key(username, address)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)


def login_succeeded(username: str, address: str) -> None:
    cache.delete(_key(username, address))
