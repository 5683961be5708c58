"""Small views of the clinic itself: health check, robots.txt and the error pages."""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic.models import CONTACT_SNAPSHOT_KEY, ClinicSettings

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # The booking form (/book/) is for patients to find; what follows it is not: the
        # confirmations, the call-to-action beacon and the guide's personal download links.
        "Disallow: /book/received/",
        "Disallow: /book/cta/",
        "Disallow: /guide/download/",
        "Disallow: /search/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def contact_snapshot():
    """The clinic's name and phone without needing the database to be up.

    Order: the cached snapshot written when the settings are saved, then the database,
    then the defaults of a fresh install.
    """
    try:
        snapshot = cache.get(CONTACT_SNAPSHOT_KEY)
    except Exception:  # Redis down too: still render the page.
        snapshot = None
    if snapshot:
        return snapshot
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
