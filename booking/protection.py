"""What stands between the public forms and bots: honeypot, time trap, rate limit.

Every bot check fails the same way (`Rejected`), so a bot cannot tell which one it hit.
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


class Rejected(Exception):
    """A submission that failed a bot check."""


def _signer():
    return signing.TimestampSigner(salt=TOKEN_SALT)


def new_form_token():
    """A signed, timestamped one-time nonce for one rendering of a form."""
    return _signer().sign(secrets.token_urlsafe(18))


def check_submission(data):
    """Return the form's nonce, or raise Rejected (honeypot, too fast, too old, forged)."""
    if data.get(HONEYPOT_FIELD):
        raise Rejected
    token = data.get("form_token", "")
    signer = _signer()
    try:
        nonce = signer.unsign(token, max_age=settings.BOOKING_FORM_MAX_AGE)
    except signing.BadSignature:
        raise Rejected from None
    signed_at = signing.b62_decode(token.rsplit(signer.sep, 2)[1])
    if time.time() - signed_at < settings.BOOKING_FORM_MIN_SECONDS:
        raise Rejected
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
    return count > limit
