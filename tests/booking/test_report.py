"""'Articles that bring patients': phone clicks, forms opened and requests, per page."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from booking.models import AppointmentRequest, CallToActionEvent, Notification, SpreadsheetExport
from tests.factories import AppointmentRequestFactory, GuideLeadFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/articles-that-bring-patients/"


def article(home_page, title):
    page = Page(title=title, slug=title.lower().replace(" ", "-"))
    home_page.add_child(instance=page)
    return page


def happened(page, kind, days_ago=1, times=1):
    when = timezone.now() - datetime.timedelta(days=days_ago)
    for _ in range(times):
        CallToActionEvent.objects.create(kind=kind, page=page, device="phone", occurred_at=when)


def rows(html):
    table = html[html.index("Requests submitted</th>") :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in body.split("<tr>")[1:]
    ]


def test_the_report_counts_what_each_page_brought_in_the_period(admin_client, home_page):
    sciatica = article(home_page, "Sciatica")
    knees = article(home_page, "Knee pain")
    article(home_page, "Quiet page")
    happened(sciatica, "phone_click", times=3)
    happened(sciatica, "form_opened", times=2)
    AppointmentRequestFactory(source_page=sciatica)
    happened(knees, "phone_click")
    happened(knees, "phone_click", days_ago=90)  # outside the default 30 days
    AppointmentRequestFactory(
        source_page=knees, created_at=timezone.now() - datetime.timedelta(days=90)
    )

    html = admin_client.get(REPORT).content.decode()
    assert rows(html) == [["Sciatica", "3", "2", "1"], ["Knee pain", "1", "0", "0"]]
    assert "Quiet page" not in html

    long_ago = (timezone.localdate() - datetime.timedelta(days=120)).isoformat()
    html = admin_client.get(REPORT, {"period_from": long_ago}).content.decode()
    assert ["Knee pain", "2", "0", "1"] in rows(html)


def test_the_report_exports_and_is_for_the_front_desk_only(
    admin_client, client, home_page, django_user_model
):
    happened(article(home_page, "Sciatica"), "form_opened")
    export = admin_client.get(REPORT, {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    assert (
        content.splitlines()[0] == "Title,Path,Phone clicks,Booking forms opened,Requests submitted"
    )
    assert "Sciatica" in content

    editor = django_user_model.objects.create_user("pt", "pt@example.com", "x" * 16)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(REPORT).status_code in {302, 403}
    assert "Articles that bring patients" not in client.get("/admin/").content.decode()


def test_the_admin_listings_render(admin_client):
    AppointmentRequestFactory()
    for url in [
        "/admin/appointment-requests/",
        "/admin/guide-leads/",
        "/admin/emails/",
        "/admin/request-exports/",
        REPORT,
    ]:
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/admin/appointment-requests/new/").status_code == 404
    assert (
        b"Add appointment request" not in admin_client.get("/admin/appointment-requests/").content
    )


def test_email_and_export_records_cannot_be_edited_even_by_a_superuser(admin_client, admin_user):
    appointment_request = AppointmentRequestFactory()
    notification = Notification.objects.create(
        kind="new_request", recipient="fd@example.com", request=appointment_request
    )
    export = SpreadsheetExport.objects.create(user=admin_user, file_format="csv", row_count=1)
    for url in [
        f"/admin/emails/edit/{notification.pk}/",
        f"/admin/emails/delete/{notification.pk}/",
        f"/admin/request-exports/edit/{export.pk}/",
        f"/admin/request-exports/delete/{export.pk}/",
    ]:
        assert admin_client.post(url, {"recipient": "x@example.com"}).status_code in {302, 403}
    assert Notification.objects.get().recipient == "fd@example.com"
    assert SpreadsheetExport.objects.exists()


def test_guide_leads_are_listed_and_exported(admin_client):
    GuideLeadFactory(email="reader@example.com", marketing_consent=True)
    assert b"reader@example.com" in admin_client.get("/admin/guide-leads/").content
    export = admin_client.get("/admin/guide-leads/", {"export": "csv"})
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert lines[0].startswith("Email,Name,Agreed to marketing email")
    assert lines[1].startswith("reader@example.com,Sam,True")


def test_demo_content_fills_the_inbox_once(db):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    statuses = set(AppointmentRequest.objects.values_list("status", flat=True))
    assert statuses == {"new", "contacted", "scheduled"}
    assert AppointmentRequest.objects.count() == 4
