"""A page that shows hostile rich text as if it had been stored, for the browser test."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from tests.clinic.test_security_content import XSS_RICH_TEXT

PAGE = engines["django"].from_string(
    "{% load wagtailcore_tags %}<!DOCTYPE html><html lang='en'><head><title>Article</title>"
    "<link rel='icon' href='data:,'></head><body><main>{{ body|richtext }}</main></body></html>"
)


def stored_rich_text(request):
    return HttpResponse(PAGE.render({"body": XSS_RICH_TEXT}, request))


urlpatterns = [path("stored-rich-text/", stored_rich_text)]
