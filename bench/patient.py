"""A patient's valid appointment request, as `make loadtest` and `make bench` send it.

It passes every check the booking form makes: the CSRF cookie and token, a signed
one-time form token older than the time trap, an empty honeypot and answers the form
accepts. The rate limit (one address's allowance, and every load client is 127.0.0.1) is
the server's: each harness raises it in the environment of the server it starts.
"""

import re
import secrets
import time

RECEIVED = re.compile(r"/book/received/([\w-]+)/$")
# Answers of a new patient with back pain, as tests/booking's valid_answers gives them.
PATIENT = {
    "source": "",
    "phone": "(360) 555-0187",
    "email": "load@example.com",
    "preferred_contact": "phone",
    "patient_type": "new",
    "reason": "Lower back pain when sitting",
    "payment": "insurance",
    "heard_about": "article",
    "consent": "on",
    "website": "",
}


def hidden_value(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match[1] if match else ""


def answers(html, first_name, last_name):
    """Valid answers to the form in this page: its tokens, its first clinic, the name given."""
    data = {
        "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken"),
        "form_token": hidden_value(html, "form_token"),
        **PATIENT,
        "first_name": first_name,
        "last_name": last_name,
    }
    location = re.search(r'name="location" value="(\d+)"', html)
    if location:
        data["location"] = location[1]
    return data


def outcome(response):
    """A response in the reports' words; an accepted request gives its reference."""
    if response.status_code == 302:
        match = RECEIVED.search(response.headers.get("Location", ""))
        if match:
            return "accepted", match[1]
    return str(response.status_code), None


class Bookings:
    """Valid requests for a client that cannot open the form before each post (wrk).

    Each form has its own one-time token, signed up front by the function the form page
    uses (the server shares this process's SECRET_KEY) and handed out only once it is
    older than the time trap, as a patient's would be. Every request carries a last name
    unique to the run, so what the run stored can be counted and removed.
    """

    def __init__(self, form_page):
        self.run = secrets.token_hex(4)
        self.fields = answers(form_page, "Bench", "")
        self.tokens = []
        self.signed_at = 0.0
        self.used = 0

    def sign(self, count):
        from booking.protection import new_form_token

        if count > 0:
            self.tokens += [new_form_token() for _ in range(count)]
            self.signed_at = time.monotonic()

    def take(self, count):
        """`count` forms never sent before, once the time trap has passed for them."""
        from django.conf import settings

        self.sign(max(0, self.used + count - len(self.tokens)))
        time.sleep(max(0, self.signed_at + settings.BOOKING_FORM_MIN_SECONDS - time.monotonic()))
        forms = [
            {**self.fields, "form_token": token, "last_name": f"Bench-{self.run}-{number}"}
            for number, token in enumerate(self.tokens[self.used : self.used + count], self.used)
        ]
        self.used += count
        return forms

    def stored(self):
        return self.requests().count()

    def requests(self):
        from booking.models import AppointmentRequest

        return AppointmentRequest.objects.filter(last_name__startswith=f"Bench-{self.run}-")
