"""A patient on a phone reads an article, then asks for an appointment from it."""

import re

from playwright.sync_api import expect

from blog.models import BlogPostPage
from booking.models import AppointmentRequest
from tests.e2e.pages import request_appointment, send_request
from tests.factories import clinic_settings

CALL = re.compile(r"^Call\b")


def test_patient_on_a_phone_reads_an_article_and_requests_an_appointment(demo_site, phone):
    clinic_settings(phone="+13605550199")
    article = BlogPostPage.objects.live().order_by("-date_published").first()
    author = article.authors[0]
    requests_before = AppointmentRequest.objects.count()

    phone.goto("/")
    phone.get_by_role("banner").get_by_text("Menu", exact=True).click()
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Articles").click()
    phone.get_by_role("link", name=article.title).first.click()

    expect(phone.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(phone.get_by_text(re.compile(rf"^By .*{re.escape(author.name)}"))).to_be_visible()
    call = phone.get_by_role("navigation", name="Contact the clinic").get_by_role("link", name=CALL)
    expect(call).to_have_attribute("href", "tel:+13605550199")
    book = phone.get_by_role("main").get_by_role("link", name="Request an appointment").first
    book.scroll_into_view_if_needed()
    expect(book).to_be_visible()

    book.tap()
    expect(phone).to_have_url(re.compile(rf"/book/\?from={article.pk}$"))

    request_appointment(phone, first_name="Jordan", phone="555")

    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text("Please check one answer")
    expect(phone).to_have_title(re.compile(r"^Error: "))
    summary.get_by_role("link", name="Enter a phone number we can call").click()
    expect(phone.get_by_label("Phone number")).to_be_focused()
    assert AppointmentRequest.objects.count() == requests_before

    phone.get_by_label("Phone number").fill("(360) 555-0123")
    send_request(phone)

    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you, we have your request")
    request = AppointmentRequest.objects.latest("created_at")
    expect(phone.get_by_text(request.reference, exact=True)).to_be_visible()
    assert phone.url.endswith(f"/book/received/{request.reference}/")
    assert AppointmentRequest.objects.count() == requests_before + 1
    assert (request.first_name, request.source_page_id) == ("Jordan", article.pk)
    assert request.phone.as_e164 == "+13605550123"
