"""The front desk in the Wagtail admin: the requests inbox, its detail page and status moves,
guide leads, outgoing emails, the dashboard panel and the "Articles that bring patients" report.
"""

import datetime
import re
from operator import attrgetter

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page
from wagtail.permission_policies import ModelPermissionPolicy

from booking import moves, workflow
from booking.admin_forms import NotesForm, OfferForm, ScheduleForm
from booking.models import (
    AppointmentRequest,
    CallToActionEvent,
    GuideLead,
    Notification,
    SpreadsheetExport,
)
from clinic.models import Location

Status = AppointmentRequest.Status
request_permissions = ModelPermissionPolicy(AppointmentRequest)


class AppointmentRequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    location = django_filters.ModelChoiceFilter(queryset=Location.objects.all())
    created_at = django_filters.DateFromToRangeFilter(
        label="Received", widget=DateRangePickerWidget
    )
    patient_type = django_filters.ChoiceFilter(
        label="New or returning",
        choices=AppointmentRequest.PatientType.choices,
        empty_label="Both",
    )

    class Meta:
        model = AppointmentRequest
        fields = ["status", "location", "created_at", "patient_type"]


class TemplateColumn(Column):
    """A listing column drawn by one of the front desk's cell templates."""

    def __init__(self, name, cell_template_name, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = cell_template_name


def phone_digits(query):
    """The digits of a search that is a phone number as people type it ("(360) 555-0199",
    "360-555-0199", "555-0199"), without the country code; "" for any other search."""
    if not re.fullmatch(r"[\d\s().+-]+", query):
        return ""
    digits = re.sub(r"\D", "", query)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) >= 4 else ""


def _local(moment):
    """A moment as the clinic's wall clock reads it (spreadsheets hold no time zone)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _label(field):
    return lambda appointment_request: getattr(appointment_request, f"get_{field}_display")()


# What an export holds, as the admin shows it: (heading, value) by column; {zone} is the
# clinic's time zone. Contact details for calling back, never health data (reason, notes).
EXPORT_COLUMNS = {
    "reference": ("Reference", attrgetter("reference")),
    "created_at": ("Received ({zone})", lambda r: _local(r.created_at)),
    "status": ("Status", _label("status")),
    "first_name": ("First name", attrgetter("first_name")),
    "last_name": ("Last name", attrgetter("last_name")),
    "phone": ("Phone", attrgetter("phone_display")),
    "email": ("Email", attrgetter("email")),
    "preferred_contact": ("Preferred contact", _label("preferred_contact")),
    "patient_type": ("New or returning", _label("patient_type")),
    "location": ("Location", lambda r: r.location.name if r.location else ""),
    "payment": ("Insurance or self-pay", _label("payment")),
    "heard_about": ("Heard about us", _label("heard_about")),
    "appointment_at": ("Appointment ({zone})", lambda r: _local(r.appointment_at)),
    "appointment_minutes": ("Length (minutes)", attrgetter("appointment_minutes")),
    "cancelled_by": ("Cancelled by", _label("cancelled_by")),
    "wants_earlier": ("Waitlist", lambda r: "Yes" if r.wants_earlier else "No"),
    "source_page": ("Came from", lambda r: r.source_page.title if r.source_page else ""),
    "utm_source": ("Campaign source", attrgetter("utm_source")),
    "utm_medium": ("Campaign medium", attrgetter("utm_medium")),
    "utm_campaign": ("Campaign", attrgetter("utm_campaign")),
}


class RequestIndexView(IndexView):
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            IndexView.FORMAT_CSV: lambda value: value.strftime("%Y-%m-%d %H:%M"),
            IndexView.FORMAT_XLSX: None,  # already the clinic's wall clock
        },
    }

    def get_add_url(self):
        # Requests come from patients through the form, not from the admin.
        return None

    def get_base_queryset(self):
        # Each row's "Overdue" counts the business hours of its location.
        return (
            super()
            .get_base_queryset()
            .select_related("location", "source_page")
            .prefetch_related("location__opening_hours", "location__closures")
        )

    def search_queryset(self, queryset):
        found = super().search_queryset(queryset)
        digits = phone_digits(self.search_query) if self.is_searching else ""
        if digits:
            # Phones are stored as +13605550199: match the digits, not the punctuation.
            found = found | queryset.filter(phone__contains=digits)
        return found

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """Every export leaves a record (who, when, how many, which filters) in the audit log."""
        export = SpreadsheetExport.objects.create(
            user=self.request.user,
            file_format=spreadsheet_format,
            row_count=queryset.count(),
            filters=self.request.GET.urlencode()[:500],
        )
        log(export, "booking.export", user=self.request.user)
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def to_row_dict(self, item):
        return {column: EXPORT_COLUMNS[column][1](item) for column in self.list_export}

    def get_heading(self, queryset, field):
        return EXPORT_COLUMNS[field][0].format(zone=settings.TIME_ZONE)


def history(appointment_request):
    """The request's audit log as the front desk reads it: when, what, for when, who. The
    patient's moves carry no user; their labels say "by patient" (booking.moves)."""
    entries = (
        ModelLogEntry.objects.for_instance(appointment_request)
        .select_related("user")
        .order_by("-timestamp")
    )
    rows = []
    for entry in entries:
        booked = (entry.data or {}).get("appointment_at")
        user = entry.user
        rows.append(
            {
                "timestamp": entry.timestamp,
                "message": entry.message,
                "appointment_at": datetime.datetime.fromisoformat(booked) if booked else None,
                "by": (user.get_full_name() or user.get_username()) if user else "",
            }
        )
    return rows


class RequestDetailView(InspectView):
    template_name = "booking/admin/request_detail.html"
    page_title = "Appointment request"

    def get_object(self, queryset=None):
        return get_object_or_404(
            AppointmentRequest.objects.select_related("location", "source_page"), pk=self.pk
        )

    def get_page_subtitle(self):
        return f"{self.object.full_name} ({self.object.reference})"

    def get_context_data(self, time_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        appointment_request = self.object
        staff_moves = moves.for_staff(appointment_request.status)
        # One date-time form per move that needs a time (Schedule or Reschedule); a
        # refused one comes back bound, with what was typed.
        time_forms = [
            time_form
            if time_form is not None and time_form.move == move
            else ScheduleForm(move, appointment_request)
            for move in staff_moves
            if move.needs_time
        ]
        media = forms.Media()
        for form in time_forms:
            media += form.media
        freed = [
            time
            for time in workflow.freed_times(location=appointment_request.location)
            if time.freed_by.pk == appointment_request.pk
        ]
        context.update(
            {
                "appointment_request": appointment_request,
                "history": history(appointment_request),
                "can_change": self.user_has_permission("change"),
                "moves": [move for move in staff_moves if not move.needs_time],
                "time_forms": time_forms,
                "freed_times": [(time, list(time.waitlist)) for time in freed],
                "notes_form": NotesForm(instance=appointment_request),
                "emails": appointment_request.notifications.all(),
                # Wagtail's date-time picker: its script must load before the widget's own.
                "media": media,
            }
        )
        return context


class MoveView(RequestDetailView):
    """A button on the request's page: one move of booking.moves, made by booking.workflow.
    A refused Schedule or Reschedule re-renders the page with what was typed."""

    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        move = moves.BY_NAME.get(kwargs["name"])
        if move is None or move.by_patient:
            raise Http404("No such move.")
        appointment_request = self.object
        form = None
        move_kwargs = {}
        if move.needs_time:
            form = ScheduleForm(move, appointment_request, request.POST)
            if not form.is_valid():
                return self.refused(form)
            move_kwargs = form.move_kwargs()
        try:
            moved = workflow.move(appointment_request, move.name, by=request.user, **move_kwargs)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("booking_requests:inspect", appointment_request.pk)
            form.add_error(None, error)
            return self.refused(form)
        messages.success(request, done_message(moved))
        return redirect("booking_requests:inspect", appointment_request.pk)

    def refused(self, form):
        return self.render_to_response(self.get_context_data(time_form=form), status=400)


def done_message(appointment_request):
    """What the front desk reads after a move: whose request, and where it stands now."""
    who = f"{appointment_request.full_name} ({appointment_request.reference})"
    if appointment_request.status != Status.SCHEDULED:
        return f"{who} is now {appointment_request.get_status_display().lower()}."
    when = date_format(appointment_request.local_appointment_at, r"l, F j, Y \a\t g:i A")
    emailed = " The patient is emailed." if appointment_request.email else ""
    return f"{who} is scheduled for {when}.{emailed}"


def _changeable_request(request, pk):
    if not request_permissions.user_has_permission(request.user, "change"):
        raise PermissionDenied
    return get_object_or_404(AppointmentRequest, pk=pk)


@require_POST
def offer_time(request, pk):
    """ "Offer this time": book a freed time for a waitlisted request, in one click."""
    appointment_request = _changeable_request(request, pk)
    form = OfferForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("booking_requests:inspect", args=[appointment_request.pk])
    if not form.is_valid():
        messages.error(request, "That time could not be read; offer it from the request's page.")
        return redirect(back)
    try:
        moved = workflow.offer(appointment_request, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message(moved))
    return redirect(back)


@require_POST
def save_notes(request, pk):
    appointment_request = _changeable_request(request, pk)
    form = NotesForm(request.POST, instance=appointment_request)
    if form.is_valid():
        form.save()
        log(appointment_request, "booking.notes", user=request.user)
        messages.success(request, "Notes saved.")
    return redirect("booking_requests:inspect", appointment_request.pk)


class AppointmentRequestViewSet(ModelViewSet):
    model = AppointmentRequest
    name = "booking_requests"
    url_prefix = "appointment-requests"
    icon = "date"
    # Short: the sidebar cuts longer labels, and the count of new requests follows.
    menu_label = "Requests"
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = RequestIndexView
    inspect_view_class = RequestDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = AppointmentRequestFilterSet
    search_fields = ["reference", "first_name", "last_name", "phone", "email"]
    search_backend_name = None
    ordering = ["-created_at"]
    list_per_page = 50
    list_export = list(EXPORT_COLUMNS)
    export_filename = "appointment-requests"
    form_fields = ["first_name", "last_name", "phone", "email", "preferred_contact", "location"]

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "reference",
                label="Reference",
                url_name="booking_requests:inspect",
                sort_key="reference",
            ),
            Column("full_name", label="Name", sort_key="last_name"),
            TemplateColumn("phone", "booking/admin/components/phone_cell.html", label="Phone"),
            TemplateColumn("email", "booking/admin/components/email_cell.html", label="Email"),
            Column("location", label="Location"),
            TemplateColumn(
                "status",
                "booking/admin/components/status_cell.html",
                label="Status",
                sort_key="status",
            ),
            Column(
                "appointment_at",
                label="Appointment",
                sort_key="appointment_at",
                accessor=lambda instance: (
                    date_format(instance.local_appointment_at, "D M j, P")
                    if instance.appointment_at
                    else ""
                ),
            ),
            DateColumn("created_at", label="Received", sort_key="created_at"),
        ]

    @cached_property
    def menu_item_class(self):
        base = super().menu_item_class

        class RequestsMenuItem(base):
            def render_component(self, request):
                component = super().render_component(request)
                new = AppointmentRequest.objects.new().count()
                if new:
                    component.label = f"Requests ({new} new)"
                return component

        return RequestsMenuItem

    def get_urlpatterns(self):
        own = [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]
        return own + [
            path(
                "move/<int:pk>/<slug:name>/",
                self.construct_view(MoveView, **self.get_inspect_view_kwargs()),
                name="move",
            ),
            path("offer/<int:pk>/", offer_time, name="offer"),
            path("notes/<int:pk>/", save_notes, name="notes"),
        ]


class GuideLeadViewSet(ModelViewSet):
    model = GuideLead
    name = "booking_leads"
    url_prefix = "guide-leads"
    icon = "mail"
    menu_label = "Free guide leads"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "email",
        "name",
        "marketing_consent",
        "times_requested",
        "downloads",
        DateColumn("last_requested_at", label="Last asked"),
    ]
    list_filter = ["marketing_consent"]
    search_fields = ["email", "name"]
    search_backend_name = None
    list_export = [
        "email",
        "name",
        "marketing_consent",
        "marketing_consent_at",
        "created_at",
        "last_requested_at",
        "times_requested",
        "downloads",
        "source_page",
    ]
    export_filename = "guide-leads"
    form_fields = ["name", "email", "marketing_consent"]


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Records that are evidence (sent emails, exports): nobody edits or deletes them here."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class NotificationViewSet(ModelViewSet):
    model = Notification
    name = "booking_emails"
    url_prefix = "emails"
    icon = "mail"
    menu_label = "Emails sent"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "__str__",
        StatusTagColumn(
            "get_status_display",
            label="Status",
            sort_key="status",
            primary=lambda instance: instance.status != Notification.Status.FAILED,
        ),
        "attempts",
        "last_error",
        DateColumn("created_at", label="Queued"),
    ]
    list_filter = ["status", "kind"]
    form_fields = ["recipient"]


class ExportLogViewSet(ModelViewSet):
    model = SpreadsheetExport
    name = "booking_exports"
    url_prefix = "request-exports"
    icon = "download"
    menu_label = "Request exports"
    copy_view_enabled = False
    list_display = ["__str__", "user", "filters", DateColumn("exported_at", label="Exported")]
    form_fields = ["filters"]


class FrontDeskGroup(ModelViewSetGroup):
    menu_label = "Front desk"
    menu_icon = "group"
    menu_order = 151
    items = [GuideLeadViewSet, NotificationViewSet, ExportLogViewSet]


class FrontDeskPanel(Component):
    """Dashboard: what needs the front desk's attention now."""

    name = "front_desk"
    template_name = "booking/admin/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        requests = AppointmentRequest.objects
        request = parent_context["request"]
        freed = [(time, list(time.waitlist)) for time in workflow.freed_times()]
        return {
            # The waitlist's offer buttons post a form of their own.
            "request": request,
            "csrf_token": parent_context.get("csrf_token"),
            "can_change": request_permissions.user_has_permission(request.user, "change"),
            "freed_times": [(time, waiting) for time, waiting in freed if waiting],
            "new_count": requests.new().count(),
            "overdue": requests.overdue(),
            "failed_emails": Notification.objects.filter(status=Notification.Status.FAILED).count(),
            "overdue_hours": settings.BOOKING_OVERDUE_BUSINESS_HOURS,
        }


# The report ----------------------------------------------------------------------------


def _default_period_start():
    return timezone.localdate() - datetime.timedelta(days=30)


class PeriodFilterSet(WagtailFilterSet):
    period = django_filters.DateFromToRangeFilter(
        label="Period", widget=DateRangePickerWidget, method="keep_all"
    )

    class Meta:
        model = Page
        fields = []

    def keep_all(self, queryset, name, value):
        # The period shapes the counts (see the report's get_queryset), not the rows.
        return queryset


def _count(queryset, page_field, date_field, start, end):
    """Rows of queryset per page within the period, as a subquery (0 when none)."""
    counts = (
        queryset.filter(
            **{
                page_field: OuterRef("pk"),
                f"{date_field}__date__gte": start,
                f"{date_field}__date__lte": end,
            }
        )
        .order_by()
        .values(page_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts[:1], output_field=IntegerField()), Value(0))


class ArticlesThatBringPatientsView(ReportView):
    page_title = "Articles that bring patients"
    header_icon = "doc-full"
    results_template_name = "booking/admin/report_results.html"
    index_url_name = "booking_report"
    index_results_url_name = "booking_report_results"
    filterset_class = PeriodFilterSet
    permission_policy = request_permissions
    any_permission_required = ["view", "change"]
    list_export = ["title", "url_path", "phone_clicks", "forms_opened", "requests_submitted"]
    export_headings = {
        "url_path": "Path",
        "phone_clicks": "Phone clicks",
        "forms_opened": "Booking forms opened",
        "requests_submitted": "Requests submitted",
    }
    export_filename = "articles-that-bring-patients"

    def period(self):
        start, end = _default_period_start(), timezone.localdate()
        if self.filters and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("period")
            if chosen:
                start = chosen.start.date() if chosen.start else start
                end = chosen.stop.date() if chosen.stop else end
        return start, end

    def get_queryset(self):
        start, end = self.period()
        events = CallToActionEvent.objects.all()
        return (
            Page.objects.filter(depth__gt=1)
            .annotate(
                phone_clicks=_count(
                    events.filter(kind=CallToActionEvent.Kind.PHONE_CLICK),
                    "page",
                    "occurred_at",
                    start,
                    end,
                ),
                forms_opened=_count(
                    events.filter(kind=CallToActionEvent.Kind.BOOKING_FORM_OPENED),
                    "page",
                    "occurred_at",
                    start,
                    end,
                ),
                requests_submitted=_count(
                    AppointmentRequest.objects.all(), "source_page", "created_at", start, end
                ),
            )
            .filter(Q(phone_clicks__gt=0) | Q(forms_opened__gt=0) | Q(requests_submitted__gt=0))
            .order_by("-requests_submitted", "-forms_opened", "-phone_clicks", "title")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period_start"], context["period_end"] = self.period()
        return context


report_urls = [
    path(
        "reports/articles-that-bring-patients/",
        ArticlesThatBringPatientsView.as_view(),
        name="booking_report",
    ),
    path(
        "reports/articles-that-bring-patients/results/",
        ArticlesThatBringPatientsView.as_view(results_only=True),
        name="booking_report_results",
    ),
]
