"""Demo appointment requests in every stage of the front desk's work.

Fixed references make it idempotent: a request that exists is left alone.
"""

import datetime

from django.utils import timezone
from wagtail.models import Site

from booking.models import AppointmentRequest, CallToActionEvent, PreferredTime, TimeWindow
from clinic.models import Location

Status = AppointmentRequest.Status

SAMPLES = [
    {
        "reference": "DEMO2NEW",
        "first_name": "Olivia",
        "last_name": "Martin",
        "phone": "+13605550187",
        "email": "olivia.martin@example.com",
        "preferred_contact": "phone",
        "patient_type": "new",
        "reason": "Lower back pain since moving house, worse when sitting.",
        "payment": "insurance",
        "heard_about": "article",
        "status": Status.NEW,
        "hours_ago": 2,
    },
    {
        "reference": "DEMO3NEW",
        "first_name": "James",
        "last_name": "Whitaker",
        "phone": "+13605550123",
        "email": "",
        "preferred_contact": "text",
        "patient_type": "returning",
        "reason": "Knee pain on stairs after running.",
        "payment": "self_pay",
        "heard_about": "friend",
        "status": Status.NEW,
        "hours_ago": 30,
    },
    {
        "reference": "DEMO4CNT",
        "first_name": "Priya",
        "last_name": "Raman",
        "phone": "+13605550166",
        "email": "priya.raman@example.com",
        "preferred_contact": "email",
        "patient_type": "new",
        "reason": "",
        "payment": "not_sure",
        "heard_about": "search",
        "status": Status.CONTACTED,
        "hours_ago": 50,
    },
    {
        "reference": "DEMO6SCH",
        "first_name": "Tom",
        "last_name": "Eriksen",
        "phone": "+13605550199",
        "email": "tom.eriksen@example.com",
        "preferred_contact": "phone",
        "patient_type": "new",
        "reason": "Sciatica down the left leg.",
        "payment": "insurance",
        "heard_about": "doctor",
        "status": Status.SCHEDULED,
        "hours_ago": 96,
    },
]


def load(stdout):
    location = Location.objects.first()
    now = timezone.now()
    created = 0
    for sample in SAMPLES:
        values = dict(sample)
        reference = values.pop("reference")
        if AppointmentRequest.objects.filter(reference=reference).exists():
            continue
        received = now - datetime.timedelta(hours=values.pop("hours_ago"))
        appointment_request = AppointmentRequest.objects.create(
            reference=reference,
            location=location,
            consent_at=received,
            created_at=received,
            status_changed_at=received,
            **values,
        )
        next_monday = timezone.localdate() + datetime.timedelta(days=7 - received.weekday())
        PreferredTime.objects.create(
            request=appointment_request, date=next_monday, window=TimeWindow.MORNING
        )
        if appointment_request.status == Status.SCHEDULED:
            appointment_request.appointment_at = timezone.make_aware(
                datetime.datetime.combine(next_monday, datetime.time(9, 30))
            )
            appointment_request.save()
        created += 1
    if created:
        # A few taps and form opens so the "Articles that bring patients" report has rows.
        home = Site.objects.get(is_default_site=True).root_page
        CallToActionEvent.objects.bulk_create(
            CallToActionEvent(kind=kind, page=home, device=device)
            for kind in CallToActionEvent.Kind.values
            for device in CallToActionEvent.Device.values
        )
        AppointmentRequest.objects.filter(reference="DEMO2NEW").update(source_page=home)
    stdout.write(f"Appointment requests: {created} demo request(s) added.")
