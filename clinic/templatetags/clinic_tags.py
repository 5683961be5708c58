"""Template tags that bring the clinic's settings to every page's calls to action."""

from urllib.parse import urlencode

from django import template
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page, Site

from clinic.models import ClinicSettings, ContactPage, Location, ServicePage, visible
from clinic.models import clock as spoken_clock
from clinic.site_url import absolute_url
from clinic.structured_data import (
    SOCIAL_IMAGE_FILTER,
    breadcrumb_list,
    clinic_structured_data,
    json_ld_script,
)

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
    """The trail to the page, and the same trail as JSON-LD for search engines."""
    page = page or context.get("page")
    # The page's context may bring the `ancestors` it already fetched.
    ancestors = context.get("ancestors")
    if ancestors is None and isinstance(page, Page) and page.depth > 2:
        ancestors = page.get_ancestors().filter(depth__gt=1).specific(defer=True)
    ancestors = list(ancestors) if isinstance(page, Page) and page.depth > 2 and ancestors else []
    structured_data = ""
    if ancestors:
        structured_data = json_ld_script(breadcrumb_list(page, ancestors, context.get("request")))
    return {"ancestors": ancestors, "page": page, "structured_data": structured_data}


def page_description(page):
    """What a page is about in a sentence: the promote tab's description, else its own."""
    for field in ("search_description", "summary", "intro"):
        text = strip_tags(str(getattr(page, field, "") or "")).strip()
        if text:
            return Truncator(text).words(40)
    return ""


@register.inclusion_tag("components/page_meta.html", takes_context=True)
def page_meta(context, title="", description="", image=None, image_alt="", og_type="website"):
    """Canonical link, Open Graph and Twitter card of any page or view. The picture is the
    page's own (`hero_image`) or else the clinic's share image, always with its alt text."""
    request = context.get("request")
    clinic_settings = _clinic_settings(context)
    page = context.get("page")
    page = page if isinstance(page, Page) and page.pk else None
    canonical = context.get("canonical") or (
        page.get_full_url(request) if page else absolute_url(request.path, request)
    )
    if image is None and getattr(page, "hero_image", None):
        image, image_alt = page.hero_image, image_alt or getattr(page, "hero_alt_text", "")
    if image is None:
        image, image_alt = clinic_settings.share_image, ""
    rendition = image.get_rendition(SOCIAL_IMAGE_FILTER) if image else None
    return {
        "canonical": canonical,
        "site_name": clinic_settings.name,
        "og_type": og_type,
        "title": title or (page and (page.seo_title or page.title)) or clinic_settings.name,
        "description": description or page_description(page) or clinic_settings.name,
        "image": rendition,
        "image_url": absolute_url(rendition.url, request) if rendition else "",
        "image_alt": image_alt or (image.default_alt_text if image else ""),
    }


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
    site_url = site.root_page.get_full_url(request) if site else absolute_url("/", request)
    logo_url = ""
    if clinic_settings.logo:
        logo_url = absolute_url(clinic_settings.logo.file.url, request)
    data = clinic_structured_data(clinic_settings, clinic_locations(), site_url, logo_url)
    return json_ld_script(data)


@register.simple_tag
def admin_site_name():
    """The clinic's name for the admin's title and sign-in page (WAGTAIL_SITE_NAME)."""
    return django_settings.WAGTAIL_SITE_NAME
