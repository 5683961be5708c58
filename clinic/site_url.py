"""The site's one public address (SITE_URL), and absolute URLs on it.

The Wagtail Site record is what pages' own URLs come from (sitemap, `get_full_url`);
`manage.py sync_site` makes it follow SITE_URL on every deploy. Everything else that names
the site (canonical links, feeds, JSON-LD, robots.txt) asks `absolute_url` here, which reads
the same record, so a page never names two origins.
"""

from urllib.parse import urljoin, urlsplit

from django.conf import settings
from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


def hostname_and_port(site_url):
    """SITE_URL as a Wagtail Site names it: hostname and port (443 means https)."""
    parts = urlsplit(site_url)
    return parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]


def site_for(request=None):
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).first()


def root_url(request=None):
    """The origin pages are served from, e.g. https://www.example-clinic.com."""
    site = site_for(request)
    return site.root_url if site is not None else settings.SITE_URL


def absolute_url(url, request=None):
    """`url` (a path, or already absolute like media on a CDN) on the site's origin."""
    return urljoin(root_url(request) + "/", url) if url else ""


def problem_with(site_url):
    """Why SITE_URL cannot be a Wagtail Site's address, or "" when it can."""
    parts = urlsplit(site_url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return f"SITE_URL must be like https://www.example-clinic.com, not {site_url!r}."
    if parts.path.strip("/") or parts.query:
        return f"SITE_URL is an origin without a path, not {site_url!r}."
    if parts.scheme == "https" and (parts.port or 443) != 443:
        # Wagtail writes any port but 443 as http://host:port.
        return "SITE_URL with https must use port 443."
    return ""
