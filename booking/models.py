"""Appointment requests, free-guide leads, call-to-action events and outgoing emails."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from phonenumber_field.modelfields import PhoneNumberField
from wagtail.log_actions import log

from booking.fields import EncryptedTextField
from booking.hours import business_hours_between
from clinic.models import CallablePhone

# Letters and digits that cannot be misread on the phone (no 0/O, 1/I/L, 5/S, 8/B).
REFERENCE_ALPHABET = "2346779ACDEFGHJKMNPQRTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class TimeWindow(models.TextChoices):
    """A part of the day a patient prefers; the location's opening hours narrow it
    (booking.hours.DAY_PARTS), so the form offers only what the clinic is open for."""

    MORNING = "morning", "Morning (before 12pm)"
    AFTERNOON = "afternoon", "Afternoon (12pm-5pm)"
    EVENING = "evening", "Evening (after 5pm)"


class StatusMoveError(ValidationError):
    """A status move that the request's current status does not allow."""


class AppointmentRequestQuerySet(models.QuerySet):
    def new(self):
        return self.filter(status=AppointmentRequest.Status.NEW)

    def overdue(self, now=None):
        """New requests nobody has contacted for longer than the allowed business hours."""
        now = now or timezone.now()
        limit = settings.BOOKING_OVERDUE_BUSINESS_HOURS
        # Business time never exceeds wall time, so this narrows the search cheaply.
        candidates = self.new().filter(created_at__lte=now - datetime.timedelta(hours=limit))
        candidates = candidates.select_related("location").prefetch_related(
            "location__opening_hours", "location__closures"
        )
        return [request for request in candidates if request.is_overdue(now)]


class AppointmentRequest(CallablePhone, models.Model):
    """A patient's request to be called back and booked in."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        SCHEDULED = "scheduled", "Scheduled"
        DECLINED = "declined", "Declined"
        NO_ANSWER = "no_answer", "No answer"
        SPAM = "spam", "Spam"
        CLOSED = "closed", "Closed"

    # The front desk's workflow: which statuses each status may move to.
    MOVES = {
        Status.NEW: {Status.CONTACTED, Status.NO_ANSWER, Status.SPAM},
        Status.CONTACTED: {Status.SCHEDULED, Status.DECLINED, Status.NO_ANSWER},
        Status.NO_ANSWER: {Status.CONTACTED, Status.CLOSED},
        Status.SCHEDULED: {Status.CLOSED},
        Status.DECLINED: {Status.CLOSED},
        Status.SPAM: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    class ContactMethod(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"

    class PatientType(models.TextChoices):
        NEW = "new", "New patient"
        RETURNING = "returning", "Returning patient"

    class Payment(models.TextChoices):
        INSURANCE = "insurance", "Insurance"
        SELF_PAY = "self_pay", "Self-pay"
        NOT_SURE = "not_sure", "Not sure yet"

    class HeardAbout(models.TextChoices):
        SEARCH = "search", "Search engine"
        ARTICLE = "article", "An article on this website"
        DOCTOR = "doctor", "My doctor"
        FRIEND = "friend", "Friend or family"
        SOCIAL = "social", "Social media"
        INSURER = "insurer", "My insurance"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=12, unique=True, editable=False)
    submission_token = models.CharField(  # noqa: DJ001 - unique, but NULL for demo requests
        max_length=64,
        unique=True,
        null=True,
        editable=False,
        help_text="The form's one-time token: a resubmitted form finds this request.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(default=timezone.now)

    first_name = models.CharField(max_length=80, help_text="As the patient gave it.")
    last_name = models.CharField(max_length=80, help_text="As the patient gave it.")
    phone = PhoneNumberField(blank=True, help_text="Correct it here if the patient misspoke.")
    email = models.EmailField(
        blank=True, help_text="Confirmations go here; leave empty if the patient has none."
    )
    preferred_contact = models.CharField(
        "preferred contact method",
        max_length=10,
        choices=ContactMethod.choices,
        help_text="How the patient wants to hear from the front desk.",
    )
    patient_type = models.CharField("new or returning", max_length=10, choices=PatientType.choices)
    location = models.ForeignKey(
        "clinic.Location",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_requests",
        help_text="Where the patient wants to be seen; where the appointment takes place.",
    )
    reason = EncryptedTextField(
        "reason for visit", null=True, blank=True, help_text="Health data: encrypted at rest."
    )
    payment = models.CharField(
        "insurance or self-pay", max_length=10, choices=Payment.choices, blank=True
    )
    heard_about = models.CharField(
        "heard about us", max_length=10, choices=HeardAbout.choices, blank=True
    )
    consent_at = models.DateTimeField(
        "consent to be contacted", help_text="When the patient agreed to be contacted."
    )

    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page the patient was on when they clicked the booking link.",
    )
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_term = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)

    appointment_at = models.DateTimeField(
        "appointment", null=True, blank=True, help_text="Set when the request is scheduled."
    )
    appointment_minutes = models.PositiveSmallIntegerField(
        "appointment length (minutes)", default=60
    )
    staff_notes = EncryptedTextField(
        null=True,
        blank=True,
        help_text="For the front desk only; may hold health data, so it is encrypted at rest.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AppointmentRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "appointment request"

    def __str__(self):
        # The audit log keeps this label; a reference carries no personal data.
        return f"Request {self.reference}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @cached_property
    def clinic_location(self):
        """The location whose hours count for this request (its own, else the first)."""
        from clinic.models import Location

        return (
            self.location or Location.objects.prefetch_related("opening_hours", "closures").first()
        )

    def is_overdue(self, now=None):
        if self.status != self.Status.NEW:
            return False
        elapsed = business_hours_between(
            self.created_at, now or timezone.now(), self.clinic_location
        )
        return elapsed > settings.BOOKING_OVERDUE_BUSINESS_HOURS

    def save_new(self):
        """Save a new request under a fresh reference, retrying the rare collision."""
        from django.db import IntegrityError

        for _ in range(5):
            self.reference = new_reference()
            try:
                with transaction.atomic():
                    self.save()
                    return self
            except IntegrityError:
                if (
                    self.submission_token
                    and AppointmentRequest.objects.filter(
                        submission_token=self.submission_token
                    ).exists()
                ):
                    raise
                self.pk = None
        raise RuntimeError("Could not find a free reference code.")

    # Status moves -------------------------------------------------------------------

    def can_move_to(self, status):
        return status in self.MOVES[self.Status(self.status)]

    def _move(self, status, user, **data):
        if not self.can_move_to(status):
            raise StatusMoveError(
                f"A {self.get_status_display().lower()} request cannot be marked "
                f"{self.Status(status).label.lower()}."
            )
        previous = self.status
        self.status = status
        self.status_changed_at = timezone.now()
        self.save()
        log(
            self,
            f"booking.{status}",
            user=user,
            data={"from": previous, "to": status, **data},
        )

    @transaction.atomic
    def mark_contacted(self, user):
        self._move(self.Status.CONTACTED, user)

    @transaction.atomic
    def mark_no_answer(self, user):
        self._move(self.Status.NO_ANSWER, user)

    @transaction.atomic
    def decline(self, user):
        self._move(self.Status.DECLINED, user)

    @transaction.atomic
    def mark_spam(self, user):
        self._move(self.Status.SPAM, user)

    @transaction.atomic
    def close(self, user):
        self._move(self.Status.CLOSED, user)

    @transaction.atomic
    def schedule(self, at, location, user, minutes=60):
        """Book the appointment and send the patient a confirmation with an .ics file."""
        from booking.notifications import queue_notification

        errors = {}
        if at is None:
            errors["appointment_at"] = "Give the appointment's date and time."
        elif timezone.is_naive(at):
            raise ValueError("Appointment times must be timezone-aware.")
        if location is None:
            errors["location"] = "Choose where the appointment takes place."
        if errors:
            raise ValidationError(errors)
        self.appointment_at = at
        self.appointment_minutes = minutes
        self.location = location
        self._move(self.Status.SCHEDULED, user, appointment_at=at.isoformat())
        if self.email:
            queue_notification(Notification.Kind.APPOINTMENT_SCHEDULED, self.email, request=self)

    @property
    def local_appointment_at(self):
        return timezone.localtime(self.appointment_at) if self.appointment_at else None

    @property
    def appointment_ends_at(self):
        if self.appointment_at is None:
            return None
        return self.appointment_at + datetime.timedelta(minutes=self.appointment_minutes)

    def anonymise(self):
        """Keep the statistics of an old request, drop everything about the person."""
        self.first_name = "Removed"
        self.last_name = ""
        self.phone = ""
        self.email = ""
        self.reason = None
        self.staff_notes = None
        self.utm_term = self.utm_content = ""
        self.anonymised_at = timezone.now()
        self.save()
        self.preferred_times.all().delete()


class PreferredTime(models.Model):
    """One of up to three times the patient said suit them."""

    request = models.ForeignKey(
        AppointmentRequest, on_delete=models.CASCADE, related_name="preferred_times"
    )
    date = models.DateField()
    window = models.CharField(max_length=10, choices=TimeWindow.choices)

    class Meta:
        ordering = ["date", "window"]

    def __str__(self):
        return f"{self.date:%a %b %-d} - {self.get_window_display()}"


class CallToActionEvent(models.Model):
    """An anonymous count: a phone link tapped or the booking form opened, on a page."""

    class Kind(models.TextChoices):
        PHONE_CLICK = "phone_click", "Phone link clicked"
        BOOKING_FORM_OPENED = "form_opened", "Booking form opened"

    class Device(models.TextChoices):
        PHONE = "phone", "Phone"
        DESKTOP = "desktop", "Desktop"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    device = models.CharField(max_length=10, choices=Device.choices)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "call-to-action event"

    def __str__(self):
        return f"{self.get_kind_display()} ({self.occurred_at:%Y-%m-%d %H:%M})"


class GuideLead(models.Model):
    """Someone who asked for the free guide by email."""

    name = models.CharField(max_length=120, help_text="The reader's first name.")
    email = models.EmailField(unique=True, help_text="One lead per address.")
    marketing_consent = models.BooleanField(
        "agreed to marketing email",
        default=False,
        help_text="Only email tips and news to people who ticked this box.",
    )
    marketing_consent_at = models.DateTimeField(null=True, blank=True)
    source_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_requested_at = models.DateTimeField(default=timezone.now)
    times_requested = models.PositiveIntegerField(default=1)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_requested_at"]
        verbose_name = "free guide lead"

    def __str__(self):
        return self.email


class Notification(models.Model):
    """An email the site sends; failures stay visible to staff."""

    class Kind(models.TextChoices):
        NEW_REQUEST = "new_request", "New request (to the front desk)"
        REQUEST_RECEIVED = "request_received", "Request received (to the patient)"
        APPOINTMENT_SCHEDULED = "scheduled", "Appointment confirmed (to the patient)"
        GUIDE = "guide", "Free guide link"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.EmailField()
    request = models.ForeignKey(
        AppointmentRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    lead = models.ForeignKey(
        GuideLead, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "email"

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient}"


class SpreadsheetExport(models.Model):
    """Who exported appointment requests, when, and how many (the audit trail of exports)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    exported_at = models.DateTimeField(default=timezone.now)
    file_format = models.CharField(max_length=10)
    row_count = models.PositiveIntegerField()
    filters = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-exported_at"]

    def __str__(self):
        return f"Export of {self.row_count} requests ({self.file_format})"
