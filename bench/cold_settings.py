"""The site's settings with caches that keep nothing: every request renders as the first
view after a change does (header, footer and renditions looked up afresh). Only for
`make bench`'s "cold" measurement; never deployed."""

from clinic.settings import *  # noqa: F403 - the production settings, caches replaced

CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    for alias in ("default", "renditions")
}
