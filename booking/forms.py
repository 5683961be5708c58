"""The patient's appointment request form and the free-guide form."""

import datetime
import json

from django import forms
from django.conf import settings
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from booking.hours import DAY_PARTS, local_datetime, narrowed, parts_offered, weekday_hours
from booking.models import AppointmentRequest, TimeWindow
from booking.protection import HONEYPOT_FIELD
from clinic.models import Location, clock

Request = AppointmentRequest
PREFERRED_TIME_SLOTS = 3
UTM_FIELDS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]


class BotFieldsMixin(forms.Form):
    """The hidden fields every public form carries (checked in booking.protection)."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The honeypot: hidden from people (CSS and aria-hidden), filled in by bots.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )


def validate_window(date, window, location, now=None):
    """Why a date and time of day cannot be offered, or None when it can.

    The same rules, in the same words, are explained in the browser as the patient
    chooses (booking/js/preferred-times.js); this is the check that counts.
    """
    now = timezone.localtime(now or timezone.now())
    part_ends = DAY_PARTS[window][1] or datetime.time.max
    if local_datetime(date, part_ends) <= now:
        return PAST
    horizon = settings.BOOKING_HORIZON_DAYS
    if date > now.date() + datetime.timedelta(days=horizon):
        return f"We book up to {horizon} days ahead. Choose an earlier date."
    if location is None:
        return None
    hours = location.hours_on(date)
    if hours is None:
        closure = location.closure_on(date)
        why = f" ({closure.reason})" if closure and closure.reason else ""
        return f"{location.name} is closed on {date:%A, %B} {date.day}{why}. Choose another day."
    stretch = narrowed(window, hours)
    if stretch is None:
        opens, closes = hours
        return (
            f"{location.name} is open {clock(opens)} to {clock(closes)} that day. "
            "Choose another time of day."
        )
    if local_datetime(date, stretch[1]) <= now:
        return PAST
    return None


def earlier_time_field():
    """The waitlist: the booking form and the patient's own page both ask it."""
    return forms.BooleanField(
        label="Tell me if an earlier time opens",
        required=False,
        help_text="When another patient cancels, we offer the freed time to those who asked.",
    )


PAST = "This time has already passed. Choose a later date or time of day."


def spoken_list(words):
    """morning, afternoon or evening."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def hhmm(moment):
    return moment.strftime("%H:%M") if moment else None


class TimeOfDayField(forms.ChoiceField):
    """Offers the parts of the day the clinic is open for, and accepts any part of the day
    so that one it is not open for (an old page, a changed timetable) is explained by
    validate_window rather than refused as an unknown choice."""

    def valid_value(self, value):
        return value in TimeWindow.values or super().valid_value(value)


class PreferredTimesMixin:
    """Up to three preferred times, each a date and a part of the day, offered from the
    opening hours of `self.locations` and checked against the chosen location's."""

    def add_time_slots(self):
        today = timezone.localdate()
        last_day = today + datetime.timedelta(days=settings.BOOKING_HORIZON_DAYS)
        # Only the parts of the day some location is open for, with the hours they span.
        self.parts = parts_offered(self.locations) or dict.fromkeys(DAY_PARTS)
        choices = [
            (window, f"{label.split(' (')[0]} ({clock(stretch[0])}-{clock(stretch[1])})")
            if stretch
            else (window, label)
            for window, label in TimeWindow.choices
            if window in self.parts
            for stretch in [self.parts[window]]
        ]
        for slot in range(1, PREFERRED_TIME_SLOTS + 1):
            self.fields[f"time_{slot}_date"] = forms.DateField(
                label="Date",
                required=False,
                widget=forms.DateInput(
                    attrs={"type": "date", "min": today.isoformat(), "max": last_day.isoformat()},
                    format="%Y-%m-%d",
                ),
                error_messages={"invalid": "Enter a date like 2026-03-09."},
            )
            self.fields[f"time_{slot}_window"] = TimeOfDayField(
                label="Time of day",
                required=False,
                choices=[("", "Choose a time of day")] + choices,
            )

    def opening_hours_json(self):
        """What the browser needs to explain closed days and past times before Send."""
        now = timezone.localtime()
        return json.dumps(
            {
                "today": now.date().isoformat(),
                "now": hhmm(now),
                "last": (
                    now.date() + datetime.timedelta(days=settings.BOOKING_HORIZON_DAYS)
                ).isoformat(),
                "horizon": settings.BOOKING_HORIZON_DAYS,
                "parts": {part: [hhmm(a), hhmm(b)] for part, (a, b) in DAY_PARTS.items()},
                "locations": {
                    str(location.pk): {
                        "name": location.name,
                        "week": [
                            [hhmm(hours[0]), hhmm(hours[1])] if hours else None
                            for weekday in range(7)
                            for hours in [weekday_hours(location, weekday)]
                        ],
                        "closures": [
                            [
                                closure.starts_on.isoformat(),
                                (closure.ends_on or closure.starts_on).isoformat(),
                                closure.reason,
                            ]
                            for closure in location.upcoming_closures(now.date())
                        ],
                    }
                    for location in self.locations
                },
            },
            separators=(",", ":"),
        )

    @property
    def time_slots(self):
        return [
            (slot, self[f"time_{slot}_date"], self[f"time_{slot}_window"])
            for slot in range(1, PREFERRED_TIME_SLOTS + 1)
        ]

    def clean_time_slots(self, cleaned, location):
        """Check each slot; the valid ones go to cleaned["preferred_times"]."""
        chosen = []
        for slot in range(1, PREFERRED_TIME_SLOTS + 1):
            date_field, window_field = f"time_{slot}_date", f"time_{slot}_window"
            date, window = cleaned.get(date_field), cleaned.get(window_field)
            if self.has_error(date_field):
                continue
            if date and not window:
                self.add_error(window_field, f"Choose {spoken_list(list(self.parts))}.")
            elif window and not date:
                self.add_error(date_field, "Choose a date for this time of day.")
            elif date and window:
                problem = validate_window(date, window, location)
                if problem:
                    self.add_error(date_field, problem)
                elif (date, window) in chosen:
                    self.add_error(date_field, "You chose this time already.")
                else:
                    chosen.append((date, window))
        cleaned["preferred_times"] = chosen


class AppointmentRequestForm(BotFieldsMixin, PreferredTimesMixin, forms.Form):
    first_name = forms.CharField(
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": "Enter your first name."},
    )
    last_name = forms.CharField(
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": "Enter your last name."},
    )
    phone = PhoneNumberField(
        label="Phone number",
        region="US",
        required=False,
        help_text="A mobile or landline, e.g. (360) 555-0142.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"invalid": "Enter a phone number we can call, e.g. (360) 555-0142."},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    preferred_contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=Request.ContactMethod.choices,
        widget=forms.RadioSelect,
        initial=Request.ContactMethod.PHONE,
        error_messages={"required": "Choose how we should contact you."},
    )
    patient_type = forms.ChoiceField(
        label="Have you been to the clinic before?",
        choices=[
            (Request.PatientType.NEW, "No, I'm a new patient"),
            (Request.PatientType.RETURNING, "Yes, I'm a returning patient"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us whether you have been to the clinic before."},
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        label="Which clinic suits you?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the clinic that suits you."},
    )
    reason = forms.CharField(
        label="What would you like help with? (optional)",
        required=False,
        max_length=500,
        help_text="A few words are enough, e.g. 'lower back pain for two weeks'. "
        "Only our clinical team reads this.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    payment = forms.ChoiceField(
        label="Insurance or self-pay? (optional)",
        choices=Request.Payment.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    heard_about = forms.ChoiceField(
        label="How did you hear about us? (optional)",
        choices=[("", "Choose one")] + Request.HeardAbout.choices,
        required=False,
    )
    wants_earlier = earlier_time_field()
    consent = forms.BooleanField(
        label="I agree that the clinic may contact me about this request.",
        error_messages={"required": "Tick this box so we can contact you about your request."},
    )

    def __init__(self, *args, locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.locations = list(locations if locations is not None else Location.objects.all())
        if len(self.locations) > 1:
            self.fields["location"].queryset = Location.objects.filter(
                pk__in=[location.pk for location in self.locations]
            )
        else:
            del self.fields["location"]
        self.add_time_slots()

    @property
    def chosen_location(self):
        if "location" in self.fields:
            return self.cleaned_data.get("location")
        return self.locations[0] if self.locations else None

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean(self):
        cleaned = super().clean()
        phone, email = cleaned.get("phone"), cleaned.get("email")
        if not phone and not email and not self.has_error("phone") and not self.has_error("email"):
            self.add_error("phone", "Give a phone number or an email address so we can reply.")
        method = cleaned.get("preferred_contact")
        if method in (Request.ContactMethod.PHONE, Request.ContactMethod.TEXT):
            if not phone and email and not self.has_error("phone"):
                self.add_error("phone", "Give a phone number, or choose to be contacted by email.")
        elif method == Request.ContactMethod.EMAIL and not email and not self.has_error("email"):
            self.add_error("email", "Give an email address, or choose a phone call.")
        self._clean_time_slots(cleaned)
        return cleaned

    def _clean_time_slots(self, cleaned):
        if "location" in self.fields and self.chosen_location is None:
            return
        self.clean_time_slots(cleaned, self.chosen_location)


class AnotherTimeForm(PreferredTimesMixin, forms.Form):
    """The patient's own page: a scheduled appointment that does not suit any more."""

    note = forms.CharField(
        label="A short note (optional)",
        required=False,
        max_length=500,
        help_text="e.g. 'Mornings are easier for me next week.'",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wants_earlier = earlier_time_field()

    def __init__(self, *args, location, **kwargs):
        super().__init__(*args, **kwargs)
        self.location = location
        self.locations = [location] if location else []
        self.add_time_slots()

    def clean_note(self):
        return self.cleaned_data["note"].strip()

    def clean(self):
        cleaned = super().clean()
        self.clean_time_slots(cleaned, self.location)
        slots_with_errors = any(
            self.has_error(f"time_{slot}_{part}")
            for slot in range(1, PREFERRED_TIME_SLOTS + 1)
            for part in ("date", "window")
        )
        if not cleaned["preferred_times"] and not slots_with_errors:
            self.add_error("time_1_date", "Choose at least one date and time of day that suit you.")
        return cleaned


class EarlierTimeForm(forms.Form):
    """The patient's own page: join or leave the list for an earlier time."""

    wants_earlier = earlier_time_field()


class GuideRequestForm(BotFieldsMixin, forms.Form):
    name = forms.CharField(
        label="First name",
        error_messages={"required": "Enter your first name."},
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.EmailField(
        max_length=254,
        help_text="We send the download link to this address.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    marketing_consent = forms.BooleanField(
        label="Yes, also email me the clinic's tips and news (at most once a month). "
        "I can unsubscribe at any time.",
        required=False,
        help_text="Optional: you get the guide either way.",
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()
