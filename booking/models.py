"""Appointment requests, free-guide leads, call-to-action events and outgoing emails."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from phonenumber_field.modelfields import PhoneNumberField

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
    """A status move that the request's current status does not allow, in words staff and
    patients understand."""


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
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "No-show"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Declined"
        NO_ANSWER = "no_answer", "No answer"
        SPAM = "spam", "Spam"
        CLOSED = "closed", "Closed"

    class CancelledBy(models.TextChoices):
        CLINIC = "clinic", "The clinic"
        PATIENT = "patient", "The patient"

    class PatientAnswer(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"
        ANOTHER_TIME = "another_time", "Asked for another time"

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
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)
    calendar_sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Rises with every change the patient's calendar must follow (.ics SEQUENCE).",
    )
    reminder_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    patient_answer = models.CharField(
        max_length=20, choices=PatientAnswer.choices, blank=True, editable=False
    )
    patient_answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    patient_note = EncryptedTextField(
        null=True,
        blank=True,
        help_text="What the patient wrote when asking for another time; may hold health data, "
        "so it is encrypted at rest and never emailed.",
    )
    wants_earlier = models.BooleanField(
        "Tell me if an earlier time opens",
        default=False,
        help_text="The patient is on the waitlist for an earlier time at their location.",
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

    # Status moves: booking.moves lists them, booking.workflow makes them ---------------

    def can_move_to(self, status):
        """Whether a move of the front desk's or the patient's leads from here to status."""
        from booking import moves

        return any(move.target == status for move in moves.possible(self.status))

    def allowed_moves(self):
        """The staff's moves from the current status, in the order of booking.moves.MOVES."""
        from booking import moves

        return moves.for_staff(self.status)

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
        self.patient_note = None
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
        APPOINTMENT_RESCHEDULED = "rescheduled", "Appointment moved (to the patient)"
        APPOINTMENT_CANCELLED = "cancelled", "Appointment cancelled (to the patient)"
        REMINDER = "reminder", "Appointment reminder (to the patient)"
        PATIENT_ANSWER = "patient_answer", "Patient's answer (to the front desk)"
        GUIDE = "guide", "Free guide link"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPERSEDED = "superseded", "Not sent: a later change replaced it"

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
    calendar_sequence = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The appointment's version this email is about; a later change supersedes it.",
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
