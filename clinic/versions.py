"""Versions that key Wagtail fragment caches (`{% wagtailcache %}`, `{% wagtailpagecache %}`):
a number in the shared cache that every change to what a fragment shows bumps, so every
web process renders that fragment afresh on its next request."""

import secrets

from django.core.cache import cache
from django.db import transaction


class FragmentVersion:
    def __init__(self, key):
        self.key = key

    def current(self):
        """The current version; None when the cache does not answer (nothing is kept then)."""
        # A random start: fragments kept under a version the cache evicted never match again.
        return cache.get_or_set(self.key, lambda: secrets.randbits(48), timeout=None)

    def changed(self):
        """Call when something the fragments show has changed and committed."""
        try:
            cache.incr(self.key)
        except ValueError:  # no version yet: a fresh random one matches nothing kept
            cache.set(self.key, secrets.randbits(48), timeout=None)

    def changed_on_commit(self, **kwargs):
        """A signal receiver. Bumps now, so this transaction's own next render sees the
        change, and again after commit, so a fragment another process rendered from the
        old rows meanwhile is never served."""
        self.changed()
        transaction.on_commit(self.changed)
