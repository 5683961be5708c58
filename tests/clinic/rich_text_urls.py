"""A page that renders hostile rich text as if it had been stored, for the browser test."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from tests.clinic.test_security_content import XSS_RICH_TEXT

PAGE = engines["django"].from_string(
    "{% extends 'base.html' %}{% load wagtailcore_tags %}"
    "{% block content %}<h1>Stored rich text</h1>{{ body|richtext }}{% endblock %}"
)


def stored_rich_text(request):
    return HttpResponse(PAGE.render({"body": XSS_RICH_TEXT}, request))


urlpatterns = [path("stored-rich-text/", stored_rich_text)]
