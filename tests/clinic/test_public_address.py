"""One public address: SITE_URL, which the Wagtail Site follows (`manage.py sync_site`), is
the origin the sitemap, feeds, JSON-LD, canonical links, emails and robots.txt all name."""

import io
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from wagtail.models import Site

from booking import patient_link
from tests.clinic.test_deployment import run_python
from tests.factories import (
    AppointmentRequestFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    clinic_settings,
)

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.harborpt.example"


def sync_site():
    out = io.StringIO()
    call_command("sync_site", stdout=out)
    return out.getvalue().strip()


def deploy_warnings(databases=None):
    found = run_checks(include_deployment_checks=True, databases=databases)
    return {message.id for message in found if message.id.startswith("clinic.W00")}


def test_sync_site_points_the_site_at_site_url_once(settings):
    settings.SITE_URL = ORIGIN

    assert sync_site() == f"Site now at {ORIGIN}."
    assert sync_site() == f"Site already at {ORIGIN}."
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("www.harborpt.example", 443, ORIGIN)

    settings.SITE_URL = "http://127.0.0.1:8000"
    assert sync_site() == "Site now at http://127.0.0.1:8000."


@pytest.mark.parametrize(
    "site_url",
    ["", "www.harborpt.example", "https://www.harborpt.example/clinic", "https://x.example:8443"],
)
def test_sync_site_refuses_an_address_a_site_cannot_hold(settings, site_url):
    settings.SITE_URL = site_url

    with pytest.raises(CommandError):
        sync_site()
    assert Site.objects.get(is_default_site=True).hostname == "localhost"


def test_deploy_check_warns_without_site_url_and_when_the_site_disagrees(settings):
    settings.SITE_URL = ""
    assert "clinic.W002" in deploy_warnings()

    settings.SITE_URL = ORIGIN
    assert "clinic.W002" not in deploy_warnings()
    assert "clinic.W004" in deploy_warnings(databases=["default"])

    sync_site()
    assert not deploy_warnings(databases=["default"]) & {"clinic.W002", "clinic.W004"}


def test_site_url_falls_back_to_the_admin_base_url():
    """Documented: a deployment that sets only WAGTAILADMIN_BASE_URL keeps working."""
    result = run_python(
        "from django.conf import settings as s; print(s.SITE_URL, s.WAGTAILADMIN_BASE_URL)",
        drop={"SITE_URL"},
        DEBUG="1",
        WAGTAILADMIN_BASE_URL=f"{ORIGIN}/",
    )
    assert result.stdout.split() == [ORIGIN, f"{ORIGIN}/"], result.stderr


def origins_in(text):
    return set(re.findall(r"https?://[a-z0-9.:-]+(?=/)", text)) - {
        "http://www.sitemaps.org",
        "http://www.w3.org",
        "http://search.yahoo.com",
        "http://purl.org",
        "https://schema.org",
    }


def test_every_address_the_site_gives_out_names_site_url(client, settings, home_page):
    """Requested as http://testserver, answered with https://www.harborpt.example only."""
    settings.SITE_URL = ORIGIN
    sync_site()
    clinic_settings(email="frontdesk@harborpt.example")
    blog = BlogIndexPageFactory(parent=home_page)
    blog.save_revision().publish()
    post = BlogPostPageFactory(parent=blog)

    sitemap = client.get("/sitemap.xml").content.decode()
    feed = client.get(f"{blog.url}feed/").content.decode()
    robots = client.get("/robots.txt").content.decode()
    pages = {path: client.get(path).content.decode() for path in ["/", post.url, "/book/"]}
    email_link = patient_link.link_for(AppointmentRequestFactory())

    assert origins_in(sitemap) == {ORIGIN}
    assert origins_in(feed) == {ORIGIN}
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in robots
    for path, html in pages.items():
        head = BeautifulSoup(html, "html.parser").head
        assert head.find("link", rel="canonical")["href"] == f"{ORIGIN}{path}", path
        ld = [
            json.loads(s.string)
            for s in BeautifulSoup(html, "html.parser").find_all(
                "script", type="application/ld+json"
            )
        ]
        assert origins_in(json.dumps(ld)) <= {ORIGIN}, path
        assert origins_in(str(head)) == {ORIGIN}, path
    assert email_link.startswith(f"{ORIGIN}/appointment/")
