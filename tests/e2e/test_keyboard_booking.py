"""A patient who uses only the keyboard requests an appointment: Tab, Space, arrows, Enter."""

from django.test import override_settings
from playwright.sync_api import expect

from booking.models import AppointmentRequest
from tests.e2e.checks import MAX_TAB_STOPS, focus_indicator_problems, focus_state


class Keyboard:
    """Moves through a page with Tab alone, noting every stop where focus is not visible."""

    def __init__(self, page):
        self.page = page
        self.unseen_focus = []

    def tab_to(self, target):
        for _ in range(MAX_TAB_STOPS):
            self.page.keyboard.press("Tab")
            state = focus_state(self.page)
            self.unseen_focus += [f"{state['html']}: {p}" for p in focus_indicator_problems(state)]
            if target.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {target}")

    def type(self, text):
        self.page.keyboard.type(text)

    def press(self, key):
        self.page.keyboard.press(key)


def test_patient_requests_an_appointment_with_the_keyboard_alone(demo_site, desktop):
    requests_before = AppointmentRequest.objects.count()
    desktop.goto("/book/")
    keys = Keyboard(desktop)
    form = desktop.get_by_role("main")

    keys.tab_to(form.get_by_label("First name"))
    keys.type("Sam")
    keys.tab_to(form.get_by_label("Last name"))
    keys.type("Keys")
    keys.tab_to(form.get_by_label("No, I'm a new patient"))
    keys.press("ArrowDown")
    expect(form.get_by_label("Yes, I'm a returning patient")).to_be_checked()
    keys.press("ArrowUp")
    expect(form.get_by_label("No, I'm a new patient")).to_be_checked()
    keys.tab_to(form.get_by_label("Phone number"))
    keys.type("(360) 555-0177")
    keys.tab_to(form.get_by_label("How did you hear about us?"))
    keys.press("ArrowDown")
    expect(form.get_by_label("How did you hear about us?")).not_to_have_value("")
    keys.tab_to(form.get_by_label("I agree that the clinic may contact me"))
    keys.press("Space")
    expect(form.get_by_label("I agree that the clinic may contact me")).to_be_checked()
    keys.tab_to(form.get_by_role("button", name="Send my request"))
    with override_settings(BOOKING_FORM_MIN_SECONDS=0):  # the bot check's wait, lifted
        keys.press("Enter")
        desktop.wait_for_url("**/book/received/**")

    expect(desktop.get_by_role("heading", level=1)).to_have_text("Thank you, we have your request")
    request = AppointmentRequest.objects.latest("created_at")
    assert AppointmentRequest.objects.count() == requests_before + 1
    assert (request.first_name, request.last_name) == ("Sam", "Keys")
    assert request.patient_type == "new" and request.heard_about
    assert not keys.unseen_focus, "Focus not visible:\n" + "\n".join(keys.unseen_focus)
