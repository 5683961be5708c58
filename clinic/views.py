"""Small views of the clinic itself: health checks, robots.txt and the error pages."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe
from django_tasks_db.models import DBTaskResult, get_date_max

from clinic import contact_card
from clinic.models import ClinicSettings
from clinic.site_url import absolute_url
from clinic.tasks import heartbeat

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness: this process answers. It asks nothing else, so a database or Redis outage
    never gets healthy web containers restarted (readiness is /readyz)."""
    return JsonResponse({"status": "ok"})


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok", None


def check_cache():
    # The cache swallows Redis errors (reads as empty), so only a read-back tells.
    key, token = "clinic:readyz", uuid.uuid4().hex
    cache.set(key, token, 30)
    return ("ok" if cache.get(key) == token else "unreachable"), None


def check_worker():
    beat = (
        DBTaskResult.objects.filter(task_path=heartbeat.module_path, finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if beat is None:
        return "no heartbeat", None
    age = (timezone.now() - beat).total_seconds()
    return ("ok" if age <= settings.READYZ_HEARTBEAT_MAX_AGE else "stopped"), round(age)


def check_queue():
    """The age of the oldest task (an email, a backup) due but not yet taken by the worker."""
    due = DBTaskResult.objects.ready()
    oldest_now = due.filter(run_after=get_date_max()).order_by("enqueued_at").first()
    oldest_later = due.exclude(run_after=get_date_max()).order_by("run_after").first()
    waiting_since = [
        *([oldest_now.enqueued_at] if oldest_now else []),
        *([oldest_later.run_after] if oldest_later else []),
    ]
    if not waiting_since:
        return "ok", 0
    age = (timezone.now() - min(waiting_since)).total_seconds()
    return ("ok" if age <= settings.READYZ_QUEUE_MAX_AGE else "backlog"), round(age)


READINESS = {
    "database": check_database,
    "cache": check_cache,
    "worker": check_worker,
    "queue": check_queue,
}
# What a part depends on: with the database down, the worker and queue cannot be read.
NEEDS_DATABASE = {"worker", "queue"}


@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 when the database, the cache and the worker (its heartbeat, and the
    age of the oldest waiting email) are fine, else 503 naming the part that failed."""
    body, ages = {}, {}
    for part, check in READINESS.items():
        if part in NEEDS_DATABASE and body["database"] != "ok":
            body[part] = "unknown"
            continue
        try:
            body[part], age = check()
        except Exception:
            logger.warning("Readiness check: %s unreachable", part)
            body[part], age = "unreachable", None
        if age is not None:
            ages[f"{part}_seconds"] = age
    failed = [part for part, state in body.items() if state != "ok"]
    status = {"status": "error" if failed else "ok", **body, **ages}
    if failed:
        status["failed"] = failed
    return JsonResponse(status, status=503 if failed else 200)


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever a page links."""
    return redirect(ClinicSettings.for_request(request).favicon_url)


@require_GET
def robots_txt(request):
    sitemap_url = absolute_url("/sitemap.xml", request)
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # The booking form (/book/) is for patients to find; what follows it is not: the
        # confirmations, the call-to-action beacon, the guide's personal download links and
        # the patient's own appointment page.
        "Disallow: /book/received/",
        "Disallow: /book/cta/",
        "Disallow: /guide/download/",
        "Disallow: /appointment/",
        "Disallow: /search/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def contact_snapshot():
    """The clinic's name and phone without the database or the cache.

    Order: the card this process holds (or its file), then the database, then the
    defaults of a fresh install.
    """
    card = contact_card.held()
    if card:
        return card
    try:
        clinic_settings = ClinicSettings.objects.order_by("pk").first()
    except Exception:
        clinic_settings = None
    if clinic_settings is None:
        clinic_settings = ClinicSettings()
    return clinic_settings.contact_snapshot()


def server_error(request):
    """The 500 page: rendered without context processors, so a dead DB cannot break it."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"clinic": contact_snapshot()}))
