"""Clinic time: opening hours by day, the parts of a day a patient may ask for, and
business hours between two moments."""

import datetime

from django.utils import timezone

# When no location is set up yet, the front desk works Monday to Friday, 8am to 5pm.
DEFAULT_HOURS = (datetime.time(8), datetime.time(17))

# The parts of the day patients choose from (TimeWindow's values), as the clock splits
# them; a location's opening hours narrow each one (None: from opening, until closing).
DAY_PARTS = {
    "morning": (None, datetime.time(12)),
    "afternoon": (datetime.time(12), datetime.time(17)),
    "evening": (datetime.time(17), None),
}


def hours_on(location, date):
    if location is not None:
        return location.hours_on(date)
    return DEFAULT_HOURS if date.weekday() < 5 else None


def weekday_hours(location, weekday):
    """Usual opening and closing time on a weekday (Monday is 0), closures aside."""
    if location is None:
        return DEFAULT_HOURS if weekday < 5 else None
    hours = location.hours_by_weekday.get(weekday)
    if hours is None or hours.closed:
        return None
    return hours.opens, hours.closes


def narrowed(part, hours):
    """The stretch of a part of the day the clinic is open, given that day's hours."""
    if hours is None:
        return None
    starts, ends = DAY_PARTS[part]
    opens, closes = hours
    starts, ends = max(opens, starts or opens), min(closes, ends or closes)
    return (starts, ends) if starts < ends else None


def parts_offered(locations):
    """Each part of the day open on some weekday at some location, with its widest
    stretch: the choices the form offers, labelled with times that are true."""
    offered = {}
    for part in DAY_PARTS:
        stretches = [
            stretch
            for location in locations or [None]
            for weekday in range(7)
            if (stretch := narrowed(part, weekday_hours(location, weekday)))
        ]
        if stretches:
            offered[part] = (min(s[0] for s in stretches), max(s[1] for s in stretches))
    return offered


def local_datetime(date, time):
    """A wall-clock time in the clinic's time zone (correct on daylight-saving days)."""
    return timezone.make_aware(datetime.datetime.combine(date, time))


def business_hours_between(start, end, location):
    """Hours the location was open between two aware datetimes."""
    if end <= start:
        return 0.0
    total = datetime.timedelta()
    day = timezone.localtime(start).date()
    last_day = timezone.localtime(end).date()
    while day <= last_day:
        hours = hours_on(location, day)
        if hours:
            opens, closes = (local_datetime(day, moment) for moment in hours)
            overlap = min(closes, end) - max(opens, start)
            if overlap > datetime.timedelta():
                total += overlap
        day += datetime.timedelta(days=1)
    return total.total_seconds() / 3600
