"""The .ics file of a scheduled appointment, in the clinic's time zone."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def calendar_time(moment, zone):
    """Local time with TZID; UTC for the hour that repeats when clocks fall back, because
    a TZID wall time in that hour could mean either of two moments."""
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(datetime.UTC)
    return local


def appointment_ics(appointment_request, clinic):
    """An iCalendar event with TZID times and the matching VTIMEZONE definition."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Clinic website//Appointment requests//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment_request.reference}@{settings.WAGTAILADMIN_BASE_URL}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", calendar_time(appointment_request.appointment_at, zone))
    event.add("dtend", calendar_time(appointment_request.appointment_ends_at, zone))
    event.add("summary", f"Appointment at {clinic.name}")
    location = appointment_request.location
    if location is not None:
        event.add("location", ", ".join([location.name, *location.address_lines]))
    if clinic.phone:
        event.add(
            "description",
            f"Reference {appointment_request.reference}. "
            f"To change or cancel, call {clinic.phone_display}.",
        )
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
