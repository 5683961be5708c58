"""Through a real Varnish (the repository's VCL) in front of real gunicorn processes on the
test database and Redis: what visitors see right after each kind of change, what is
never stored, and what is served while a part is down.

Purges run on the real worker (`db_worker --batch` over the database queue, in this
process once the change has committed): the deployed path, a task stored then picked up,
but finished before the next request so no test waits on a polling interval.
"""

import http.client
import os
import re
import shutil
import time
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from bench.varnish import HOST, Gunicorn, Varnish, free_port, get
from clinic.models import HomePage
from tests.conftest import run_worker_once
from tests.factories import (
    BlogIndexPageFactory,
    BlogPostPageFactory,
    TherapistFactory,
    clinic_settings,
)

# Committed rows, for gunicorn to read. Not serialized_rollback: it cannot restore the
# migrations' rows once another transactional test's flush re-created the content types
# under new ids, so `home` makes the tree again when a flush took it.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def home():
    """The site's root, home page and Site, as the migrations make them."""
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(django_settings.LANGUAGE_CODE)
    )
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = HomePage.objects.first() or root.add_child(
        instance=HomePage(title="Home", slug="home", locale=locale)
    )
    Site.objects.get_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


def require_varnishd():
    if shutil.which("varnishd"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("varnishd is missing; CI must have it (.ci/run installs Debian's varnish).")
    pytest.skip("varnishd is not installed (Debian: apt-get install varnish).")


def served_database_url():
    """The test database the gunicorn processes must serve (this process's own)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        if os.environ.get("CI") == "true":
            pytest.fail("The Varnish tests need PostgreSQL (DATABASE_URL).")
        pytest.skip("gunicorn and the tests share a database only on PostgreSQL.")
    scheme, netloc, _, query, fragment = urlsplit(url)
    return urlunsplit((scheme, netloc, "/" + connection.settings_dict["NAME"], query, fragment))


def site_env(**extra):
    return {
        "DATABASE_URL": served_database_url(),
        "HTTP_CACHE_SECONDS": "300",
        "GUNICORN_WORKERS": "2",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@pytest.fixture(scope="module")
def stack(django_db_setup, tmp_path_factory):
    require_varnishd()
    logs = tmp_path_factory.mktemp("stack")
    error_page = logs / "500.html"
    error_page.write_text("<p>Sorry</p>")
    web_port, cache_port = free_port(), free_port()
    with (
        Gunicorn(web_port, site_env(), logs / "gunicorn.log") as web,
        Varnish(cache_port, web_port, error_page) as cache,
    ):
        yield {"web": web, "cache": cache}


def send(cache, method, path="/"):
    request = urllib.request.Request(  # noqa: S310 - loopback
        cache.url + path, method=method, headers={"Host": HOST}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return answer.status


@pytest.fixture
def cache(stack, settings):
    """Varnish, emptied; this process purges it as a deployment does."""
    varnish = stack["cache"]
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "clinic.purging.VarnishBackend", "LOCATION": varnish.url}
    }
    send(varnish, "BAN")
    return varnish


def visit(cache, path, **headers):
    return get(cache.port, path, headers)


def twice(cache, path):
    visit(cache, path)
    status, headers, body = visit(cache, path)
    assert status == 200, path
    assert headers["X-Cache"] == "HIT", path
    return body


@pytest.fixture
def blog(home):
    clinic_settings(phone="+13605550142")
    index = BlogIndexPageFactory(parent=home)
    index.save_revision().publish()
    home.articles_page = index
    home.save_revision().publish()
    maya = TherapistFactory(name="Maya Okafor")
    first = BlogPostPageFactory(
        parent=index, title="Why does my back hurt?", slug="back", authors=[maya]
    )
    second = BlogPostPageFactory(
        parent=index, title="Sleeping with hip pain", slug="hip", authors=[maya]
    )
    run_worker_once()  # the set-up's own purges
    return {"index": index, "maya": maya, "articles": [first, second]}


def test_a_published_article_shows_on_itself_the_index_home_and_feed_then_unpublished_404s(
    cache, blog
):
    # A list's pages too: one PURGE of its path takes every query string of it.
    listings = ["/", "/blog/", "/blog/?page=1", "/blog/feed/"]
    for path in listings:
        assert "Ice or heat?" not in twice(cache, path)

    article = BlogPostPageFactory(parent=blog["index"], title="Ice or heat?", slug="ice-or-heat")
    run_worker_once()
    status, _, body = visit(cache, article.url)
    assert status == 200 and "Ice or heat?" in body
    for path in listings:
        assert "Ice or heat?" in visit(cache, path)[2], path

    twice(cache, article.url)
    article.unpublish()
    run_worker_once()
    assert visit(cache, article.url)[0] == 404
    assert "Ice or heat?" not in visit(cache, "/blog/")[2]


def test_a_renamed_therapist_shows_on_every_article_they_wrote(cache, blog):
    # Also as kept for a visitor using another host name than the Site's (purges name
    # the Site's hostname; the VCL purges the path under every host).
    other_host = {"Host": "127.0.0.1"}
    for article in blog["articles"]:
        assert "Maya Okafor" in twice(cache, article.url)
        visit(cache, article.url, **other_host)
        assert visit(cache, article.url, **other_host)[1]["X-Cache"] == "HIT"
    blog["maya"].name = "Maya Okafor-Reyes"
    blog["maya"].save()
    run_worker_once()
    for article in blog["articles"]:
        assert "Maya Okafor-Reyes" in visit(cache, article.url)[2]
        assert "Maya Okafor-Reyes" in visit(cache, article.url, **other_host)[2]


def test_a_changed_clinic_phone_shows_everywhere(cache, blog):
    paths = ["/", "/blog/", blog["articles"][0].url]
    for path in paths:
        assert "(360) 555-0142" in twice(cache, path)
    clinic_settings(phone="+13605559999")
    run_worker_once()
    for path in paths:
        body = visit(cache, path)[2]
        assert "(360) 555-9999" in body and "(360) 555-0142" not in body, path


def csrf_token(body):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]


def test_the_booking_form_is_never_stored_and_no_two_visitors_share_a_token(cache, blog):
    first, second = visit(cache, "/book/"), visit(cache, "/book/")
    assert first[0] == second[0] == 200
    assert first[1]["X-Cache"] == second[1]["X-Cache"] == "MISS"
    assert csrf_token(first[2]) != csrf_token(second[2])
    assert first[1]["Set-Cookie"] != second[1]["Set-Cookie"]
    # What is kept for everyone holds no token at all.
    assert "csrfmiddlewaretoken" not in twice(cache, blog["articles"][0].url)


def test_an_editor_never_gets_a_cached_page_and_never_fills_the_cache(
    cache, blog, django_user_model
):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    browser = Client()
    browser.force_login(editor)
    session = f"sessionid={browser.cookies['sessionid'].value}"
    article = blog["articles"][0].url

    as_editor = visit(cache, article, Cookie=session)
    assert as_editor[1]["X-Cache"] == "MISS"
    assert visit(cache, article)[1]["X-Cache"] == "MISS"  # the editor stored nothing
    twice(cache, article)
    assert visit(cache, article, Cookie=session)[1]["X-Cache"] == "MISS"


def test_a_campaign_link_gets_the_cached_page(cache, blog):
    article = blog["articles"][0].url
    body = twice(cache, article)
    status, headers, tagged = visit(cache, f"{article}?utm_source=x&utm_medium=email&gclid=1")
    assert status == 200 and headers["X-Cache"] == "HIT" and tagged == body


def test_purge_and_ban_are_refused_from_outside_the_allowed_addresses(cache, blog):
    article = blog["articles"][0].url
    twice(cache, article)
    for method in ("PURGE", "BAN"):
        # 127.0.0.2 is this machine too, but not in the VCL's list of purgers.
        outsider = http.client.HTTPConnection(
            "127.0.0.1", cache.port, source_address=("127.0.0.2", 0)
        )
        outsider.request(method, article, headers={"Host": HOST})
        assert outsider.getresponse().status == 405
        outsider.close()
    assert visit(cache, article)[1]["X-Cache"] == "HIT"
    assert send(cache, "PURGE", article) == 200
    assert visit(cache, article)[1]["X-Cache"] == "MISS"


def test_a_change_through_one_gunicorn_shows_through_another(
    stack, blog, django_user_model, tmp_path
):
    """Two processes on one database and Redis: an editor unpublishes through one, a
    visitor of the other gets the 404 at once (no process keeps its own copy)."""
    other_port = free_port()
    with Gunicorn(other_port, site_env(), tmp_path / "other.log") as other:
        article = blog["articles"][0]
        assert get(other.port, article.url)[0] == 200
        editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
        browser = Client()
        browser.force_login(editor)
        admin = requests.Session()
        admin.headers["Host"] = HOST
        admin.cookies.set("sessionid", browser.cookies["sessionid"].value)
        unpublish = f"http://127.0.0.1:{stack['web'].port}/admin/pages/{article.pk}/unpublish/"
        form = admin.get(unpublish, timeout=30)
        assert form.status_code == 200
        # The cookie is Secure (production settings): sent by hand over plain HTTP here.
        admin.cookies.set("csrftoken", form.cookies["csrftoken"])
        sent = admin.post(
            unpublish, data={"csrfmiddlewaretoken": csrf_token(form.text)}, timeout=30
        )
        assert sent.status_code in {200, 302}
        assert get(other.port, article.url)[0] == 404


def test_with_redis_down_pages_are_still_served(blog, tmp_path):
    env = site_env(REDIS_URL="redis://127.0.0.1:6390/0")
    with Gunicorn(free_port(), env, tmp_path / "no-redis.log") as web:
        for path in ["/", "/blog/", blog["articles"][0].url, "/book/"]:
            assert get(web.port, path)[0] == 200, path


def test_with_the_site_down_cached_pages_are_served_and_others_get_the_phone(blog, tmp_path):
    """Pages kept 2 s: past that, and with every web process gone, Varnish serves its
    stale copy (grace); a page it never kept gets the static error page with the phone."""
    require_varnishd()
    clinic_settings(name="Harbor Physical Therapy", phone="+13605558888")
    error_page = tmp_path / "500.html"
    call_command("write_contact_card", "--error-page", str(error_page), verbosity=0)
    web_port = free_port()
    with (
        Gunicorn(web_port, site_env(HTTP_CACHE_SECONDS="2"), tmp_path / "web.log") as web,
        Varnish(free_port(), web_port, error_page) as cache,
    ):
        article = blog["articles"][0].url
        body = twice(cache, article)
        web.__exit__()  # every web process gone
        time.sleep(4)  # past the page's lifetime, and the probe has seen the site gone
        status, _, stale = visit(cache, article)
        assert status == 200 and stale == body
        status, headers, error = visit(cache, "/blog/")
        assert status == 503
        assert "(360) 555-8888" in error and 'href="tel:+13605558888"' in error
        assert "no-store" in headers["Cache-Control"]
