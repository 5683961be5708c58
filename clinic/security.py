"""Hardening the frameworks do not do on their own: the CSP split between the public site
and the Wagtail admin, Permissions-Policy, the client address behind a proxy, the sign-in
lockout backend and the cleaning of rich text that did not come through the editor."""

import nh3
from axes.backends import AxesBackend
from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

# Elements whose content is code or styling, never text for patients: dropped with it.
UNSAFE_ELEMENTS = {"script", "style", "template", "noscript", "iframe", "object", "embed"}
# Wagtail's own link attributes (internal page and document links) survive the first pass.
RICH_TEXT_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "a": {"href", "linktype", "id"}}


def client_ip(request):
    """The address the request came from, for login lockouts and rate limits.

    Behind TRUSTED_PROXY_COUNT proxies, each appends the address it saw to
    X-Forwarded-For, so the client is the entry that many places from the right; anything
    further left was written by the client itself and cannot be trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class LockoutBackend(AxesBackend):
    """django-axes' lockout check for every sign-in that comes with a request.

    Every sign-in form passes the request; only code calling authenticate() directly
    (Django's test client `login()`, scripts) does not, and it has no address to lock.
    It also answers get_user(), as tools that log in with the first backend expect.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def is_admin_path(path):
    try:
        return path.startswith(reverse("wagtailadmin_home"))
    except NoReverseMatch:  # a URLconf without the admin
        return False


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two exceptions to the public policy.

    The Wagtail admin runs inline initialisation scripts (date pickers, inline panels),
    so it gets ADMIN_CSP_REPLACE. A response Wagtail marked frameable by its own admin
    (X-Frame-Options: SAMEORIGIN on page and block previews) may be framed by this
    origin, never by another. A page preview is rendered by Wagtail through the whole
    middleware stack under the page's public URL, so it already carries the public
    policy (nonce included) and only its frame-ancestors is rewritten here.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin_path(request.path_info):
            parts.replace = {**settings.ADMIN_CSP_REPLACE, **(parts.replace or {})}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if response.get("X-Frame-Options") == "SAMEORIGIN" and HEADER in response:
            response[HEADER] = "; ".join(
                "frame-ancestors 'self'" if directive.split()[0] == "frame-ancestors" else directive
                for directive in response[HEADER].split("; ")
            )
        return response


class PermissionsPolicyMiddleware:
    """Turns off browser features the site never uses, for it and anything it embeds."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def clean_rich_text(html):
    """Rich text from outside the editor (imports), cleaned as the editor cleans input.

    Wagtail renders stored rich text as it is, trusting that it passed the editor's
    allow-list; anything written to a RichTextField or RichTextBlock by code must pass
    through this first. Scripts and styles are dropped with their content; event
    handlers, javascript: links and unknown elements as the editor drops them.
    """
    cleaned = nh3.clean(
        html,
        tags=nh3.ALLOWED_TAGS - UNSAFE_ELEMENTS,
        clean_content_tags=UNSAFE_ELEMENTS,
        attributes=RICH_TEXT_ATTRIBUTES,
        link_rel=None,
    )
    return EditorHTMLConverter().to_database_format(cleaned)
