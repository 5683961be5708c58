"""HTTPS, cookies and the security headers every kind of response carries."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from wagtail import blocks
from wagtail.test.utils.form_data import querydict_from_html

from clinic.security import ContentSecurityPolicyMiddleware
from tests.factories import HomePageFactory

ROOT = Path(__file__).resolve().parents[2]


def directives(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def article(home_page):
    """A page other than the home page, published under it."""
    return HomePageFactory(parent=home_page, title="Knee pain after running", slug="knee-pain")


@pytest.fixture
def public_responses(client, article):
    client.raise_request_exception = False
    return {
        "home page": client.get("/", secure=True),
        "article": client.get(article.url, secure=True),
        "booking form": client.get(reverse("booking:request"), secure=True),
        "404": client.get("/no-such-page/", secure=True),
    }


def assert_common_headers(response):
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    policy = directives(response)
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_public_pages_carry_a_strict_script_policy_and_the_security_headers(public_responses):
    statuses = {name: response.status_code for name, response in public_responses.items()}
    assert statuses == {"home page": 200, "article": 200, "booking form": 200, "404": 404}
    for name, response in public_responses.items():
        assert_common_headers(response)
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], name
        assert policy["default-src"] == ["'self'"], name


def test_admin_login_carries_the_headers_and_allows_only_its_own_inline_scripts(client, db):
    response = client.get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert_common_headers(response)
    assert directives(response)["script-src"] == ["'self'", "'unsafe-inline'"]


def test_the_public_policy_has_no_nonce_even_when_a_view_reads_one():
    """A shared cache hands one stored page and header to every visitor: a per-response
    nonce in either would be replayed to all of them."""

    def view_reading_the_nonce(request):
        return HttpResponse(f"<p>{request.csp_nonce}</p>")

    middleware = ContentSecurityPolicyMiddleware(view_reading_the_nonce)
    first = middleware(RequestFactory().get("/"))
    second = middleware(RequestFactory().get("/"))
    assert directives(first)["script-src"] == ["'self'"]
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]


def test_public_pages_run_only_scripts_from_static_files(public_responses):
    for name, response in public_responses.items():
        for script in BeautifulSoup(response.content, "html.parser").find_all("script"):
            data_only = script.get("type") == "application/ld+json"
            assert data_only or script.get("src", "").startswith("/static/"), (name, script)
            assert not script.has_attr("nonce"), name


def test_plain_http_is_redirected_to_https_and_the_proxy_header_is_trusted(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"

    behind_proxy = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200
    assert "max-age=31536000" in behind_proxy["Strict-Transport-Security"]

    health = client.get("/healthz")
    assert health.status_code == 200, "load balancers probe over plain HTTP"


def test_session_and_csrf_cookies_are_secure_httponly_and_same_site(client, django_user_model):
    django_user_model.objects.create_user("frontdesk", password="a long admin passphrase")
    login_page = client.get("/admin/login/", secure=True)
    csrf_cookie = login_page.cookies["csrftoken"]
    response = client.post(
        "/admin/login/",
        {"username": "frontdesk", "password": "a long admin passphrase"},
        secure=True,
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    for cookie in (csrf_cookie, session_cookie):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_page_editor_loads_under_the_admin_policy(editor_client, article):
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert response.status_code == 200
    assert 'id="page-edit-form"' in response.content.decode()
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'self'" in policy["frame-src"], "the preview panel frames this origin"
    assert response["X-Frame-Options"] == "DENY"


def test_page_preview_renders_and_may_be_framed_by_the_admin_only(editor_client, article):
    edit_html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    form_data = querydict_from_html(edit_html.content.decode(), form_id="page-edit-form")
    form_data["title"] = "Knee pain: a draft not yet published"
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])

    check = editor_client.post(preview_url, data=form_data)
    assert check.json() == {"is_valid": True, "is_available": True}
    preview = editor_client.get(preview_url, {"in_preview_panel": "true"})

    assert preview.status_code == 200
    assert "Knee pain: a draft not yet published" in preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    policy = directives(preview)
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_block_previews_may_be_framed_by_the_admin_only(editor_client):
    block = blocks.CharBlock(preview_value="Ice or heat?")
    response = editor_client.get(
        reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
    )
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert directives(response)["frame-ancestors"] == ["'self'"]


def test_hsts_and_the_proxy_header_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER[0], s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "SECURE_HSTS_SECONDS": "600",
        "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
        "SECURE_SSL_REDIRECT": "1",
    }
    env.pop("SESSION_COOKIE_SECURE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["600", "HTTP_X_FORWARDED_PROTO", "True", "True", "True"]
