"""Captcha-free limits on public forms (community reports, follows), kept in the shared cache so
every app server counts the same submissions.

Counts are per email address and per network: an IPv4 /24 or an IPv6 /64, since one person or one
bot usually holds a whole block of addresses. Fixed windows: a flood is refused until the window
ends, and the refusal says when (HTTP 429 with Retry-After).
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.core.cache import cache

WINDOW_SECONDS = 60 * 60
PER_ADDRESS = 5
PER_NETWORK = 20


class Limited(Exception):
    """Too many submissions; try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int, reason: str) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.reason = reason


def network_of(address: str) -> str:
    """The /24 (IPv4) or /64 (IPv6) network an address belongs to; the text itself if unparseable."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _count(key: str, window: int, now: float) -> tuple[int, int]:
    bucket = int(now // window)
    full = f"outreach-limit:{key}:{bucket}"
    if cache.add(full, 1, window + 5):
        count = 1
    else:
        try:
            count = cache.incr(full)
        except ValueError:  # expired between add and incr
            cache.set(full, 1, window + 5)
            count = 1
    return count, int((bucket + 1) * window - now) + 1


def submission_check(*, form: str, email: str, address: str, per_address: int = PER_ADDRESS,
                     per_network: int = PER_NETWORK, window: int = WINDOW_SECONDS) -> None:
    """Count one submission of ``form``; raise ``Limited`` if the address or the network is over its limit."""
    now = time.time()
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    network_key = hashlib.sha256(network_of(address).encode()).hexdigest()
    by_email, wait_email = _count(f"{form}:email:{email_key}", window, now)
    by_network, wait_network = _count(f"{form}:net:{network_key}", window, now)
    if by_email > per_address:
        raise Limited(wait_email, f"Too many submissions from this email address: at most {per_address} an hour.")
    if by_network > per_network:
        raise Limited(wait_network, f"Too many submissions from your network: at most {per_network} an hour.")
