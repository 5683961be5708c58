"""What stands between the public forms and bots: honeypot, time trap, rate limit.

A bot that fills in the honeypot gets one uniform refusal (`Rejected`), whatever else it
sent. Every other check can also trip up a person - a form sent within seconds by a fast
typist or a password manager, left open overnight, or sent from a busy shared connection
- so it never throws away what they typed: the view shows the form again with their
answers and a fresh token (`SendAgain`).
"""

import logging
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from clinic.security import client_ip

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
TOKEN_SALT = "booking.form-token"  # noqa: S105 - a signing namespace, not a secret
STARTED_SEPARATOR = "."  # never in a nonce (URL-safe base64)


class Rejected(Exception):
    """A submission that a bot sent: it filled in the honeypot."""


class SendAgain(Exception):
    """A submission to show again with its answers: too fast, too old, or no usable token.

    `started` is when the person first saw the form (None when the token did not say), so
    the fresh token keeps counting from then; `nonce` is the old token's, when it was ours,
    so a form that was already sent finds its request.
    """

    def __init__(self, reason, started=None, nonce=None):
        super().__init__(reason)
        self.reason, self.started, self.nonce = reason, started, nonce


def _signer():
    return signing.TimestampSigner(salt=TOKEN_SALT)


def new_form_token(started=None):
    """A signed, timestamped one-time nonce for one rendering of a form.

    It also carries when the person first saw the form (`started`, now by default): a
    form shown again after a refusal gets a fresh token that remembers the first view.
    """
    started = int(time.time() if started is None else started)
    nonce = secrets.token_urlsafe(18)
    return _signer().sign(f"{nonce}{STARTED_SEPARATOR}{signing.b62_encode(started)}")


def read_token(token):
    """(nonce, signed at, first shown at) of a form token this site signed, else None."""
    signer = _signer()
    try:
        value = signer.unsign(token or "")
    except signing.BadSignature:
        return None
    signed_at = signing.b62_decode(token.rsplit(signer.sep, 2)[1])
    nonce, _, started = value.partition(STARTED_SEPARATOR)
    # Tokens signed before they carried the first view started when they were signed.
    return nonce, signed_at, signing.b62_decode(started) if started else signed_at


def check_submission(data):
    """Return the form's nonce; raise Rejected (honeypot) or SendAgain (everything else)."""
    if data.get(HONEYPOT_FIELD):
        raise Rejected
    token = read_token(data.get("form_token"))
    if token is None:
        raise SendAgain("no valid token")
    nonce, signed_at, started = token
    now = time.time()
    if now - signed_at > settings.BOOKING_FORM_MAX_AGE:
        raise SendAgain("too old", started=started, nonce=nonce)
    if now - started < settings.BOOKING_FORM_MIN_SECONDS:
        raise SendAgain("too fast", started=started)
    return nonce


def over_rate_limit(request, scope, limit=None):
    """Count this request against the client's allowance; True once it is used up.

    When the cache (Redis) is down, the form stays open: losing a patient is worse
    than letting a few extra posts through.
    """
    limit = limit or settings.BOOKING_RATE_LIMIT
    key = f"ratelimit:{scope}:{client_ip(request)}"
    try:
        if cache.add(key, 1, timeout=settings.BOOKING_RATE_LIMIT_WINDOW):
            count = 1
        else:
            count = cache.incr(key)
    except ValueError:
        # The key expired between add() and incr().
        cache.add(key, 1, timeout=settings.BOOKING_RATE_LIMIT_WINDOW)
        count = 1
    except Exception:
        logger.warning("Rate limit unavailable (cache error); allowing the request")
        return False
    # None: the cache did not answer (it ignores its errors while Redis is down).
    return count is not None and count > limit
