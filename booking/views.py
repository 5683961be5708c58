"""The public side: the appointment request form, the free guide, the call-to-action beacon."""

import logging
from functools import wraps

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page, Site

from booking.emails import GUIDE_LINK_SALT
from booking.forms import UTM_FIELDS, AppointmentRequestForm, GuideRequestForm
from booking.models import AppointmentRequest, CallToActionEvent, GuideLead, Notification
from booking.notifications import queue_notification
from booking.protection import (
    Rejected,
    SendAgain,
    check_submission,
    new_form_token,
    over_rate_limit,
    read_token,
)
from clinic.models import ClinicSettings, Location
from clinic.site_url import absolute_url

logger = logging.getLogger(__name__)

MAX_PAGE_ID = 2**31 - 1


def source_page(request, value):
    """The live page of this site a visitor came from, or None for anything else."""
    try:
        page_id = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if not 0 < page_id <= MAX_PAGE_ID:
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    return (
        Page.objects.live().descendant_of(site.root_page, inclusive=True).filter(pk=page_id).first()
    )


def device_class(request):
    agent = request.headers.get("User-Agent", "")
    return (
        CallToActionEvent.Device.PHONE
        if "Mobi" in agent or "Android" in agent
        else CallToActionEvent.Device.DESKTOP
    )


def rejected(request, template, came_from=None):
    """One answer for every bot caught by the honeypot, so bots learn nothing."""
    return render(request, template, {"rejected": True, "came_from": came_from}, status=400)


def with_fresh_token(request, started=None):
    """The answers sent, ready to be shown again under a fresh one-time token that still
    counts from the person's first view of the form."""
    data = request.POST.copy()
    data["form_token"] = new_form_token(started)
    return data


def refusal_of(request, scope):
    """Why a form post cannot be accepted as it is, or None when it can.

    Returns ("rejected", None) for a bot, ("rate_limited" or "send_again", SendAgain) for
    a post to show again with its answers, or (None, nonce) when the checks pass.
    """
    flooded = over_rate_limit(request, scope)  # every post counts, a bot's too
    try:
        nonce = check_submission(request.POST)
    except Rejected:
        return "rejected", None
    except SendAgain as refusal:
        return ("rate_limited" if flooded else "send_again"), refusal
    if flooded:
        token = read_token(request.POST.get("form_token"))
        return "rate_limited", SendAgain("rate limit", started=token[2], nonce=None)
    return None, nonce


def noindex(view):
    """Keep a view's answers out of search results, whatever they are (a PDF, a 204).

    The booking form itself is for search engines to find ("book physio <town>"); what
    follows it (confirmations, the beacon, guide downloads) is not, and robots.txt
    disallows it too.
    """

    @wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return answer


REFUSAL_STATUS = {"rate_limited": 429, "send_again": 400}


def render_request_form(request, form, utm, came_from, refusal=None, status=200):
    """The form, under one canonical address: no ?from= page id or campaign tags."""
    context = {
        "form": form,
        "utm": utm,
        "came_from": came_from,
        "refusal": refusal,
        "on_booking_path": True,
        "canonical": absolute_url(reverse("booking:request"), request),
    }
    return render(request, "booking/request_form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_appointment(request):
    locations = list(Location.objects.prefetch_related("opening_hours", "closures"))
    if request.method != "POST":
        page = source_page(request, request.GET.get("from"))
        if request.method == "GET":
            CallToActionEvent.objects.create(
                kind=CallToActionEvent.Kind.BOOKING_FORM_OPENED,
                page=page,
                device=device_class(request),
            )
        utm = {name: request.GET.get(name, "")[:100] for name in UTM_FIELDS}
        form = AppointmentRequestForm(
            initial={"form_token": new_form_token(), "source": page.pk if page else ""},
            locations=locations,
        )
        return render_request_form(request, form, utm, page)

    utm = {name: request.POST.get(name, "")[:100] for name in UTM_FIELDS}
    came_from = source_page(request, request.POST.get("source"))
    refusal, detail = refusal_of(request, "booking")
    if refusal == "rejected":
        return rejected(request, "booking/request_rejected.html", came_from)
    nonce = detail if refusal is None else detail.nonce
    existing = nonce and AppointmentRequest.objects.filter(submission_token=nonce).first()
    if existing:
        return redirect("booking:received", reference=existing.reference)
    if refusal is not None:
        logger.info("Booking form shown again with its answers (%s)", detail.reason)
        form = AppointmentRequestForm(
            with_fresh_token(request, detail.started), locations=locations
        )
        form.is_valid()  # point out anything else to correct before sending again
        return render_request_form(
            request, form, utm, came_from, refusal, status=REFUSAL_STATUS[refusal]
        )

    form = AppointmentRequestForm(request.POST, locations=locations)
    if not form.is_valid():
        return render_request_form(request, form, utm, came_from, status=400)
    try:
        appointment_request = save_request(form, nonce, utm, came_from)
    except IntegrityError:
        # The same form arrived twice at once; the other submission saved it.
        appointment_request = get_object_or_404(AppointmentRequest, submission_token=nonce)
    return redirect("booking:received", reference=appointment_request.reference)


@transaction.atomic
def save_request(form, nonce, utm, page):
    data = form.cleaned_data
    appointment_request = AppointmentRequest(
        submission_token=nonce,
        first_name=data["first_name"],
        last_name=data["last_name"],
        phone=data["phone"] or "",
        email=data["email"],
        preferred_contact=data["preferred_contact"],
        patient_type=data["patient_type"],
        location=form.chosen_location,
        reason=data["reason"] or None,
        payment=data["payment"],
        heard_about=data["heard_about"],
        wants_earlier=data["wants_earlier"],
        consent_at=timezone.now(),
        source_page=page,
        **utm,
    ).save_new()
    appointment_request.preferred_times.bulk_create(
        appointment_request.preferred_times.model(request=appointment_request, date=d, window=w)
        for d, w in data["preferred_times"]
    )
    queue_notification(
        Notification.Kind.NEW_REQUEST, settings.CLINIC_NOTIFY_EMAIL, request=appointment_request
    )
    if appointment_request.email:
        queue_notification(
            Notification.Kind.REQUEST_RECEIVED,
            appointment_request.email,
            request=appointment_request,
        )
    logger.info("Appointment request %s received", appointment_request.reference)
    return appointment_request


@noindex
@never_cache
def request_received(request, reference):
    appointment_request = get_object_or_404(AppointmentRequest, reference=reference)
    context = {"appointment_request": appointment_request, "on_booking_path": True}
    return render(request, "booking/request_received.html", context)


@noindex
@csrf_exempt  # navigator.sendBeacon cannot carry a CSRF token; nothing personal is stored.
@require_POST
def cta_beacon(request):
    """Count a tap on a phone link: the page it was on, when, phone or desktop."""
    if over_rate_limit(request, "beacon", limit=settings.BOOKING_RATE_LIMIT * 6):
        return HttpResponse(status=429)
    path = request.POST.get("path", "")
    page = None
    if path.startswith("/") and len(path) < 500:
        page = Page.find_for_request(request, path)
    if page is None or not page.live:
        return HttpResponse("Unknown page.", status=400, content_type="text/plain")
    CallToActionEvent.objects.create(
        kind=CallToActionEvent.Kind.PHONE_CLICK, page=page, device=device_class(request)
    )
    return HttpResponse(status=204)


# The free guide -------------------------------------------------------------------------


def _guide_form(request, page=None, **kwargs):
    page = page or source_page(request, request.GET.get("from"))
    initial = {"form_token": new_form_token(), "source": page.pk if page else ""}
    return GuideRequestForm(initial={**initial, **kwargs}), page


def render_guide_form(request, form, came_from, refusal=None, status=200):
    context = {"form": form, "came_from": came_from, "refusal": refusal}
    return render(request, "booking/guide_form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_guide(request):
    clinic = ClinicSettings.for_request(request)
    if clinic.free_guide_id is None:
        page = source_page(request, request.GET.get("from"))
        return render(request, "booking/guide_unavailable.html", {"came_from": page}, status=404)
    if request.method != "POST":
        return render_guide_form(request, *_guide_form(request))

    came_from = source_page(request, request.POST.get("source"))
    refusal, detail = refusal_of(request, "guide")
    if refusal == "rejected":
        return rejected(request, "booking/guide_form.html", came_from)
    if refusal is not None:
        logger.info("Guide form shown again with its answers (%s)", detail.reason)
        form = GuideRequestForm(with_fresh_token(request, detail.started))
        form.is_valid()
        return render_guide_form(request, form, came_from, refusal, REFUSAL_STATUS[refusal])
    form = GuideRequestForm(request.POST)
    if not form.is_valid():
        return render_guide_form(request, form, came_from, status=400)
    save_lead(form, detail, came_from)
    sent = reverse("booking:guide_sent")
    return redirect(f"{sent}?from={came_from.pk}" if came_from else sent)


@transaction.atomic
def save_lead(form, nonce, page):
    """One lead per email address; a resubmitted form sends no second email."""
    data = form.cleaned_data
    now = timezone.now()
    lead, created = GuideLead.objects.select_for_update().get_or_create(
        email=data["email"].lower(),
        defaults={"name": data["name"], "source_page": page},
    )
    first_use = _first_use_of(nonce)
    if not created and first_use:
        lead.times_requested += 1
        lead.last_requested_at = now
    lead.name = data["name"]
    if data["marketing_consent"] and not lead.marketing_consent:
        lead.marketing_consent, lead.marketing_consent_at = True, now
    lead.save()
    if first_use:
        queue_notification(Notification.Kind.GUIDE, lead.email, lead=lead)
    return lead


def _first_use_of(nonce):
    try:
        # None, not False, when the cache did not answer: then count it as the first.
        added = cache.add(f"guide-nonce:{nonce}", 1, timeout=settings.BOOKING_FORM_MAX_AGE)
        return added is not False
    except Exception:
        logger.warning("Guide resubmission check unavailable (cache error)")
        return True


@noindex
@never_cache
def guide_sent(request):
    page = source_page(request, request.GET.get("from"))
    return render(request, "booking/guide_sent.html", {"came_from": page})


@noindex
@never_cache
def guide_download(request, token):
    """Serve the guide through a signed link that expires; explain when it doesn't work."""
    clinic = ClinicSettings.for_request(request)
    signer = signing.TimestampSigner(salt=GUIDE_LINK_SALT)
    try:
        lead_id = signer.unsign(token, max_age=settings.GUIDE_LINK_DAYS * 86400)
    except signing.SignatureExpired:
        # Still ours, only old: the fresh link asked for keeps the lead's page.
        lead = GuideLead.objects.filter(pk=signer.unsign(token)).first()
        return _link_problem(request, expired=True, lead=lead)
    except signing.BadSignature:
        return _link_problem(request, expired=False)
    lead = GuideLead.objects.filter(pk=lead_id).first()
    if lead is None or clinic.free_guide is None:
        return _link_problem(request, expired=False)
    GuideLead.objects.filter(pk=lead.pk).update(downloads=F("downloads") + 1)
    document = clinic.free_guide
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)


def _link_problem(request, expired, lead=None):
    page = lead.source_page if lead and lead.source_page and lead.source_page.live else None
    form, page = _guide_form(request, page)
    return render(
        request,
        "booking/guide_link_invalid.html",
        {"expired": expired, "form": form, "came_from": page},
        status=410 if expired else 400,
    )
