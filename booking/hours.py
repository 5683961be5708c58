"""Clinic time: business hours between two moments, and whether a time window is bookable."""

import datetime

from django.utils import timezone

# When no location is set up yet, the front desk works Monday to Friday, 8am to 5pm.
DEFAULT_HOURS = (datetime.time(8), datetime.time(17))


def hours_on(location, date):
    if location is not None:
        return location.hours_on(date)
    return DEFAULT_HOURS if date.weekday() < 5 else None


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
