"""Template tags that bring the clinic's settings to every page's calls to action."""

from urllib.parse import urlencode

from django import template
from django.conf import settings as django_settings
from django.urls import reverse
from wagtail.models import Page, Site

from clinic.models import ClinicSettings, ContactPage, Location, ServicePage, visible
from clinic.models import clock as spoken_clock
from clinic.structured_data import clinic_structured_data, json_ld_script

register = template.Library()


def _clinic_settings(context):
    request = context.get("request")
    if request is not None:
        return ClinicSettings.for_request(request)
    return ClinicSettings.for_site(Site.objects.get(is_default_site=True))


def _source(context, page):
    """The page a call to action stands for: the one given, the page being shown, or on
    the booking app's own pages (the guide, a refusal) the page the visitor came from."""
    page = page or context.get("page") or context.get("came_from")
    return page if isinstance(page, Page) and page.pk else None


@register.simple_tag(takes_context=True)
def booking_href(context, page=None):
    """The booking link, carrying the page it was clicked on (`?from=<page id>`)."""
    url = _clinic_settings(context).booking_url or "/book/"
    page = _source(context, page)
    if url.startswith("/") and page:
        separator = "&" if "?" in url else "?"
        url = f"{url}{separator}{urlencode({'from': page.pk})}"
    return url


@register.simple_tag(takes_context=True)
def guide_href(context, page=None):
    """The free-guide request form, carrying the page it was clicked on."""
    page = _source(context, page)
    url = reverse("booking:guide")
    if page:
        url = f"{url}?{urlencode({'from': page.pk})}"
    return url


@register.simple_tag(takes_context=True)
def request_form_href(context):
    """The built-in request form (a retry link), carrying the page the visitor came from."""
    url = reverse("booking:request")
    page = _source(context, None)
    return f"{url}?{urlencode({'from': page.pk})}" if page else url


@register.simple_tag(takes_context=True)
def main_menu_items(context):
    """The main menu's pages, each marked if it is the current page or its section: one
    query for the desktop row and the phone's panel (components/main_menu.html)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        items = site.root_page.get_children().live().in_menu()
    current = context.get("page")
    section_path = current.path if isinstance(current, Page) else ""
    return [
        {
            "page": item,
            "current": section_path == item.path,
            "section": section_path.startswith(item.path),
        }
        for item in items
    ]


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """The way up to the home page; the page's context may bring the `ancestors`."""
    page = page or context.get("page")
    ancestors = context.get("ancestors")
    if ancestors is None and isinstance(page, Page) and page.depth > 2:
        ancestors = page.get_ancestors().filter(depth__gt=1)
    return {"ancestors": ancestors if page and page.depth > 2 else [], "page": page}


@register.inclusion_tag("components/related_services.html", takes_context=True)
def related_services(context, page=None):
    """The conditions whose pages link to this article: the way back from article to service."""
    page = page or context.get("page")
    services = ServicePage.objects.none()
    if isinstance(page, Page) and page.pk:
        services = visible(ServicePage.objects.filter(related_articles__article=page))
    return {"services": services.distinct(), "request": context.get("request")}


@register.simple_tag
def clinic_locations():
    return Location.objects.select_related("photo").prefetch_related(
        "opening_hours", "closures", "photo__renditions"
    )


@register.filter
def clock(moment):
    """9am, 5:30pm: a time as patients read it."""
    return spoken_clock(moment) if moment else ""


@register.simple_tag
def contact_page():
    """The page with every location's full opening hours, linked from the footer."""
    return visible(ContactPage.objects.all()).first()


@register.simple_tag(takes_context=True)
def clinic_json_ld(context):
    """The clinic's schema.org description as a JSON-LD script element."""
    request = context["request"]
    clinic_settings = _clinic_settings(context)
    site = Site.find_for_request(request)
    site_url = site.root_page.get_full_url(request) if site else request.build_absolute_uri("/")
    logo_url = ""
    if clinic_settings.logo:
        logo_url = request.build_absolute_uri(clinic_settings.logo.file.url)
    data = clinic_structured_data(clinic_settings, clinic_locations(), site_url, logo_url)
    return json_ld_script(data)


@register.simple_tag
def admin_site_name():
    """The clinic's name for the admin's title and sign-in page (WAGTAIL_SITE_NAME)."""
    return django_settings.WAGTAIL_SITE_NAME
