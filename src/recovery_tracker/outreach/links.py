"""Signed links sent by email: reply links (expiring, single-use) and follow links.

A link carries a random token signed with the site's secret (``django.core.signing``), so a
tampered or made-up link is refused before the database is asked. Reply links are also stored
(as a hash, with ``used_at``) so each works once; follow links carry the follow's own token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core import signing
from django.utils import timezone

from recovery_tracker.outreach.models import Follow, ReplyLink, ResponseRequest

REPLY_SALT = "recovery_tracker.outreach.reply"
CONFIRM_SALT = "recovery_tracker.outreach.follow-confirm"
UNSUBSCRIBE_SALT = "recovery_tracker.outreach.unsubscribe"
REPLY_LINK_DAYS = 60
CONFIRM_LINK_DAYS = 7


class LinkInvalid(Exception):
    """The link cannot be used; the message says why and what to do."""


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def reply_link_issue(request: ResponseRequest) -> str:
    """Store a new single-use reply link for ``request`` and return the signed token for its URL."""
    raw = secrets.token_urlsafe(24)
    ReplyLink.objects.create(request=request, token_hash=token_hash(raw),
                             expires_at=timezone.now() + dt.timedelta(days=REPLY_LINK_DAYS))
    return signing.TimestampSigner(salt=REPLY_SALT).sign(raw)


def reply_link_get(signed: str, *, for_update: bool = False) -> ReplyLink:
    """The stored link behind ``signed``, if it may still be used; else ``LinkInvalid``."""
    signer = signing.TimestampSigner(salt=REPLY_SALT)
    try:
        raw = signer.unsign(signed, max_age=dt.timedelta(days=REPLY_LINK_DAYS))
    except signing.SignatureExpired:
        raise LinkInvalid(f"This reply link has expired: links work for {REPLY_LINK_DAYS} days. "
                          "Reply to the email you received and we will send a new one.") from None
    except signing.BadSignature:
        raise LinkInvalid("This reply link is not valid. Check that you copied the whole address from the "
                          "email.") from None
    query = ReplyLink.objects.select_related("request__recommendation__plan", "request__body", "request__contact")
    if for_update:
        query = query.select_for_update()
    link = query.filter(token_hash=token_hash(raw)).first()
    if link is None:
        raise LinkInvalid("This reply link is not valid. Check that you copied the whole address from the email.")
    if link.used_at is not None or link.request.reply_id is not None:
        raise LinkInvalid("This reply link has already been used: a reply to this request has been received. "
                          "To add to it, reply to the email and we will send a new link.")
    if link.expires_at <= timezone.now():
        raise LinkInvalid(f"This reply link has expired: links work for {REPLY_LINK_DAYS} days. "
                          "Reply to the email you received and we will send a new one.")
    return link


def follow_confirm_token(follow: Follow) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(follow.token)


def follow_unsubscribe_token(follow: Follow) -> str:
    # No expiry: an unsubscribe link in an old message must still work.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(follow.token)


def follow_from_confirm(signed: str) -> Follow:
    try:
        raw = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(signed, max_age=dt.timedelta(days=CONFIRM_LINK_DAYS))
    except signing.SignatureExpired:
        raise LinkInvalid(f"This confirmation link has expired: links work for {CONFIRM_LINK_DAYS} days. "
                          "Follow the item again to get a new one.") from None
    except signing.BadSignature:
        raise LinkInvalid("This confirmation link is not valid. Check that you copied the whole address.") from None
    return _follow(raw)


def follow_from_unsubscribe(signed: str) -> Follow:
    try:
        raw = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(signed)
    except signing.BadSignature:
        raise LinkInvalid("This unsubscribe link is not valid. Check that you copied the whole address.") from None
    return _follow(raw)


def _follow(raw: str) -> Follow:
    follow = Follow.objects.select_related("plan", "recommendation__plan", "organisation").filter(token=raw).first()
    if follow is None or follow.target is None:
        # Deleting an item deletes its follows: say so rather than a bare "not found".
        raise LinkInvalid("There is nothing to confirm or stop here: the item you followed no longer exists, "
                          "or this follow was removed. Nothing more will be sent about it.")
    return follow
