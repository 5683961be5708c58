"""The site's URLs plus small test pages, to prove what the page cache refuses to store.

The tests list these views in PAGE_CACHE_VIEWS, as if they were Wagtail pages, so only
what each page does (a form, a message, a cookie) keeps it out of the cache.
"""

import re

from django.contrib import messages
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from clinic.page_cache import invalidate_all

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGE = "<!DOCTYPE html><title>Test</title><main>{}</main>"


def render(request, body):
    return HttpResponse(engines["django"].from_string(PAGE.format(body)).render(request=request))


def plain_page(request):
    return render(request, "<h1>Plain page</h1>")


def form_page(request):
    return render(request, '<form method="post">{% csrf_token %}<button>Send</button></form>')


def message_page(request):
    messages.success(request, "Your request was received")
    return render(request, "{% for message in messages %}<p>{{ message }}</p>{% endfor %}")


def cookie_page(request):
    response = render(request, "<h1>Remembered</h1>")
    response.set_cookie("seen_banner", "1")
    return response


def language_page(request):
    response = render(request, "<h1>Bonjour</h1>")
    response["Vary"] = "Accept-Language"
    return response


def nonce_page(request):
    return render(request, '<script nonce="{{ request.csp_nonce }}">let shown = 1;</script>')


def page_published_while_rendering(request):
    """An editor publishes after this page read the database, before it is stored."""
    response = render(request, "<h1>Rendered from the old content</h1>")
    invalidate_all()
    return response


FRAGMENT = '{% load fragments %}<h1>{% fragment "probe" %}{{ request.GET.v }}{% endfragment %}</h1>'


def fragment_page(request):
    """What the fragment shows is what the first visitor asked for, until a change."""
    return render(request, FRAGMENT)


def fragment_with_form(request):
    return render(
        request, '{% load fragments %}{% fragment "form" %}{% csrf_token %}{% endfragment %}'
    )


def fragment_rendered_while_an_editor_publishes(request):
    response = render(request, FRAGMENT)
    invalidate_all()
    return response


TEST_VIEWS = [
    "test_plain",
    "test_form",
    "test_message",
    "test_cookie",
    "test_language",
    "test_race",
    "test_nonce",
]

urlpatterns = [
    path("test/plain/", plain_page, name="test_plain"),
    path("test/form/", form_page, name="test_form"),
    path("test/message/", message_page, name="test_message"),
    path("test/cookie/", cookie_page, name="test_cookie"),
    path("test/language/", language_page, name="test_language"),
    path("test/race/", page_published_while_rendering, name="test_race"),
    path("test/nonce/", nonce_page, name="test_nonce"),
    path("test/fragment/", fragment_page, name="test_fragment"),
    path("test/fragment-form/", fragment_with_form, name="test_fragment_form"),
    path("test/fragment-race/", fragment_rendered_while_an_editor_publishes),
    path("", include("clinic.urls")),
]
