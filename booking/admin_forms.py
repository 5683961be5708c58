"""The front desk's forms on a request's page: the appointment time, the notes."""

import datetime
import re
import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from wagtail.admin.widgets import AdminDateTimeInput

from booking.models import AppointmentRequest
from clinic.models import Location, clock

# What Wagtail's picker writes (WAGTAIL_DATETIME_FORMAT's default) and the ways staff in
# the US type a time: month first, 12-hour clock, month names. strptime ignores case.
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y %H:%M",
    "%b %d %Y %I:%M %p",
    "%b %d %Y %I %p",
    "%b %d %Y %H:%M",
    "%B %d %Y %I:%M %p",
    "%B %d %Y %I %p",
    "%B %d %Y %H:%M",
]
EXAMPLE = "12/8/2026 10:30 AM"


def tidy_typed_time(value):
    """One spelling for the many ways a time is typed: "Dec 8, 2026 at 10:30am",
    "12/8/2026  10:30 a.m." become "Dec 8 2026 10:30 am", "12/8/2026 10:30 am"."""
    value = value.strip().replace(",", " ")
    value = re.sub(r"\bat\b", " ", value, flags=re.IGNORECASE)
    value = re.sub(r"(?i)\b([ap])\.?m\.?(?=\s|$)", r"\1m", value)
    value = re.sub(r"(?i)(\d)([ap]m)\b", r"\1 \2", value)
    return re.sub(r"\s+", " ", value).strip()


def clinic_time_zone_name(at=None):
    """The clinic's zone as staff read it, e.g. "America/Los_Angeles (PST)"."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    moment = (at or timezone.now()).astimezone(zone)
    return f"{settings.TIME_ZONE} ({moment.tzname()})"


class ClinicDateTimeInput(AdminDateTimeInput):
    """Wagtail's date-time picker, leaving a typed time as typed: by default the picker
    replaces, on leaving the field, any text that is not in its own format with the
    current time, so "12/8/2026 10:30 AM" would silently become now."""

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


class ClinicDateTimeField(forms.DateTimeField):
    """A date and time in the clinic's time zone, as the picker writes it or staff type it."""

    default_error_messages = {
        "invalid": f"Enter a date and time such as {EXAMPLE} or pick one from the calendar.",
        "required": "Give the appointment's date and time.",
    }

    def __init__(self, **kwargs):
        super().__init__(input_formats=DATETIME_INPUT_FORMATS, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = tidy_typed_time(value)
        return super().to_python(value)


def outside_hours(at, minutes, location):
    """Why an appointment falls outside the location's opening hours, or "" when it fits."""
    local = timezone.localtime(at)
    day = local.date()
    closure = next((c for c in location.closures.all() if c.covers(day)), None)
    if closure:
        return f"{location.name} is closed on {day:%A, %B} {day.day} ({closure})."
    hours = location.hours_on(day)
    if hours is None:
        return f"{location.name} is closed on {day:%A}s."
    opens, closes = hours
    ends = (local + datetime.timedelta(minutes=minutes)).time()
    if local.time() < opens or ends > closes or ends < local.time():
        return (
            f"{location.name} is open {clock(opens)} to {clock(closes)} on {day:%A}s; "
            f"this appointment is {clock(local.time())} to {clock(ends)}."
        )
    return ""


class ScheduleForm(forms.Form):
    """When and where, for the Schedule and Reschedule moves (the move's name prefixes the
    fields). A time outside opening hours needs "Book it anyway"."""

    appointment_at = ClinicDateTimeField(label="Date and time", widget=ClinicDateTimeInput)
    location = forms.ModelChoiceField(
        queryset=Location.objects.prefetch_related("opening_hours", "closures"),
        error_messages={"required": "Choose where the appointment takes place."},
    )
    minutes = forms.IntegerField(label="Length (minutes)", min_value=15, max_value=240, initial=60)
    # Sent only by the warning's "Book it anyway" button (the clinic may open early).
    book_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, move, appointment_request, *args, **kwargs):
        kwargs.setdefault("initial", {"location": appointment_request.location})
        super().__init__(*args, prefix=move.name, **kwargs)
        self.move = move
        self.appointment_request = appointment_request
        self.fields[
            "appointment_at"
        ].help_text = f"Clinic time, {clinic_time_zone_name()}. Pick it or type it, e.g. {EXAMPLE}."
        if move.name == "reschedule":
            # A move keeps the appointment's length (workflow.reschedule).
            del self.fields["minutes"]
        self.hours_warning = ""

    def length(self):
        return self.cleaned_data.get("minutes") or self.appointment_request.appointment_minutes

    def clean(self):
        cleaned = super().clean()
        at, location = cleaned.get("appointment_at"), cleaned.get("location")
        if at and location and not self.has_error("minutes") and not cleaned.get("book_anyway"):
            self.hours_warning = outside_hours(at, self.length(), location)
            if self.hours_warning:
                raise forms.ValidationError(self.hours_warning, code="outside_hours")
        return cleaned

    def move_kwargs(self):
        """What booking.workflow's schedule or reschedule takes from this form."""
        kwargs = {
            "at": self.cleaned_data["appointment_at"],
            "location": self.cleaned_data["location"],
        }
        if "minutes" in self.fields:
            kwargs["minutes"] = self.cleaned_data["minutes"]
        return kwargs


class OfferForm(forms.Form):
    """A freed time offered to a waitlisted request (hidden fields of a one-click button)."""

    at = forms.DateTimeField(widget=forms.HiddenInput)
    location = forms.ModelChoiceField(queryset=Location.objects.all(), widget=forms.HiddenInput)
    minutes = forms.IntegerField(min_value=15, max_value=240, widget=forms.HiddenInput)


class NotesForm(forms.ModelForm):
    class Meta:
        model = AppointmentRequest
        fields = ["staff_notes"]
        widgets = {"staff_notes": forms.Textarea(attrs={"rows": 5})}
