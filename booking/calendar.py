"""The .ics file of an appointment, in the clinic's time zone.

One event per request: the same UID in every email and a SEQUENCE that rises with each
change, so calendar apps move or remove the event instead of adding a second one.
"""

import datetime
import email.utils
import urllib.parse
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

PRODID = "-//Clinic website//Appointments//EN"


def site_domain():
    """The public site's domain (SITE_DOMAIN in deployment), as SITE_URL names it."""
    return urllib.parse.urlsplit(settings.SITE_URL or settings.WAGTAILADMIN_BASE_URL).hostname


def event_uid(appointment_request):
    return f"{appointment_request.pk}@{site_domain()}"


def calendar_time(moment, zone):
    """Local time with TZID; UTC for the hour that repeats when clocks fall back, because
    a TZID wall time in that hour could mean either of two moments."""
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(datetime.UTC)
    return local


def transitions(zone, start, end):
    """The moments (UTC) between start and end when the zone's offset changes."""
    found = []
    step = datetime.timedelta(days=1)
    # In UTC: arithmetic on times in the zone itself would follow its wall clock.
    moment, end = start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
    while moment < end:
        later = moment + step
        if moment.astimezone(zone).utcoffset() != later.astimezone(zone).utcoffset():
            low, high = moment, later  # narrow to the minute
            while high - low > datetime.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        moment = later
    return found


def vtimezone(zone, around):
    """The zone's rules for the year around a moment: one STANDARD or DAYLIGHT part per
    change of offset. (A single part listing every change in one multi-valued RDATE, as
    icalendar writes it, is misread by ical.js, which then puts a July time an hour off.)"""
    start = around - datetime.timedelta(days=400)
    component = Timezone()
    component.add("tzid", zone.key)
    changes = transitions(zone, start, around + datetime.timedelta(days=400))
    if not changes:
        changes = [start]
    for change in changes:
        before = (change - datetime.timedelta(minutes=1)).astimezone(zone)
        after = change.astimezone(zone)
        part = TimezoneDaylight() if after.dst() else TimezoneStandard()
        part.add("dtstart", (change + before.utcoffset()).replace(tzinfo=None))
        part.add("tzoffsetfrom", before.utcoffset())
        part.add("tzoffsetto", after.utcoffset())
        part.add("tzname", after.tzname())
        component.add_component(part)
    return component


def appointment_ics(appointment_request, clinic, *, cancelled=False):
    """The appointment as an iTIP message: REQUEST to add or update it, CANCEL to remove it."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    calendar.add_component(vtimezone(zone, appointment_request.appointment_at))
    event = Event()
    event.add("uid", event_uid(appointment_request))
    event.add("sequence", appointment_request.calendar_sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", calendar_time(appointment_request.appointment_at, zone))
    event.add("dtend", calendar_time(appointment_request.appointment_ends_at, zone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", f"Appointment at {clinic.name}")
    # iTIP requests name an organizer; calendar apps show it as who sent the invitation.
    organizer = clinic.email or email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if organizer:
        event.add("organizer", f"mailto:{organizer}", parameters={"CN": clinic.name})
    if appointment_request.email:
        event.add(
            "attendee",
            f"mailto:{appointment_request.email}",
            parameters={"CN": appointment_request.first_name, "RSVP": "FALSE"},
        )
    location = appointment_request.location
    if location is not None:
        event.add("location", ", ".join([location.name, *location.address_lines]))
    phone = appointment_phone(appointment_request, clinic)
    if phone:
        event.add(
            "description",
            f"Reference {appointment_request.reference}. To change or cancel, call {phone}.",
        )
    calendar.add_component(event)
    return calendar.to_ical()


def appointment_phone(appointment_request, clinic):
    """The number to call about an appointment: its location's, else the clinic's."""
    location = appointment_request.location
    if location is not None and location.phone:
        return location.phone.as_national
    return clinic.phone_display
