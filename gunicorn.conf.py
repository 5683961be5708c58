"""How gunicorn serves the site wherever it runs (the Docker image, docker-compose,
`make bench`, `make loadtest`): gunicorn reads this file from the working directory.
Each value comes from the environment; command-line flags still win."""

import gc
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# Threads keep connections alive between requests (a TLS proxy, a browser): no new TCP
# handshake per page.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A worker holds at most this many connections, so long-lived ones spread over every
# worker instead of piling onto whichever accepted first while the others sit idle
# (measured: cached pages at 40% of the throughput, p99 above 30 ms). Put a buffering
# proxy in front for the open internet, as gunicorn advises.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(threads * 2)))
timeout = 30
graceful_timeout = 10
# One line per request costs about a quarter of a cached page's throughput; the proxy in
# front logs requests anyway. "-" writes them to stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None

# Django and Wagtail leave a few hundred thousand objects that live as long as the worker;
# a full garbage collection walks them all (measured: 90 ms, which every request in flight
# waits out). Freezing moves them out of the collector's sight: once the app is loaded,
# and again once the first requests have compiled templates and filled caches.
FREEZE_AGAIN_AFTER = 1000


def post_worker_init(worker):
    gc.freeze()


def post_request(worker, req, environ, resp):
    if worker.nr >= FREEZE_AGAIN_AFTER and not getattr(worker, "frozen_again", False):
        worker.frozen_again = True
        gc.freeze()
