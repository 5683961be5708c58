"""A Redis cache that degrades to "always empty" instead of failing the request.

Django's RedisCache raises when Redis is unreachable, which would turn every page view
into a 500. Here a failed call is logged and answered as a cache that keeps nothing:
reads miss, writes are dropped, ``add`` succeeds and ``incr`` counts from zero, so
counter-based rate limits let requests through rather than fail. After a failure Redis
is left alone for RETRY_AFTER seconds, so an unreachable server costs one timeout, not
one per call; then the next call tries again and recovery is automatic.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class TolerantRedisCacheClient(RedisCacheClient):
    RETRY_AFTER = 5.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._down_until = 0.0
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis (and its ~200 response callbacks) for every
        # call; one per connection pool does the same work, and is thread-safe.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _call(self, method, fallback, *args):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(super(), method)(*args)
            except RedisError as error:
                self._down_until = time.monotonic() + self.RETRY_AFTER
                logger.warning(
                    "Cache unavailable (%s in %s); carrying on without it for %.0f s",
                    type(error).__name__,
                    method,
                    self.RETRY_AFTER,
                )
        return fallback()

    def add(self, key, value, timeout):
        return self._call("add", lambda: True, key, value, timeout)

    def get(self, key, default):
        return self._call("get", lambda: default, key, default)

    def set(self, key, value, timeout):
        return self._call("set", lambda: None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", lambda: False, key, timeout)

    def delete(self, key):
        return self._call("delete", lambda: False, key)

    def get_many(self, keys):
        return self._call("get_many", dict, keys)

    def has_key(self, key):
        return self._call("has_key", lambda: False, key)

    def incr(self, key, delta):
        return self._call("incr", lambda: delta, key, delta)

    def set_many(self, data, timeout):
        return self._call("set_many", lambda: None, data, timeout)

    def delete_many(self, keys):
        return self._call("delete_many", lambda: None, keys)

    def clear(self):
        return self._call("clear", lambda: False)


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
