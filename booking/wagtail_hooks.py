from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from booking.admin_views import (
    AppointmentRequestViewSet,
    FrontDeskGroup,
    FrontDeskPanel,
    ViewOnlyPolicy,
    report_urls,
    request_permissions,
)
from booking.models import AppointmentRequest, Notification, SpreadsheetExport
from booking.moves import MOVES

for evidence in (Notification, SpreadsheetExport):
    register_permission_policy(evidence, ViewOnlyPolicy(evidence))


@hooks.register("register_admin_viewset")
def register_front_desk():
    return [AppointmentRequestViewSet(), FrontDeskGroup()]


@hooks.register("register_log_actions")
def register_booking_log_actions(actions):
    for move in MOVES:
        actions.register_action(f"booking.{move.name}", move.logged_as, move.logged_as)
    # Entries written before the moves had names were logged under the new status.
    for status in AppointmentRequest.Status:
        label = f"Marked {status.label.lower()}"
        actions.register_action(f"booking.{status.value}", label, label)
    actions.register_action("booking.notes", "Staff notes changed", "Staff notes changed")
    actions.register_action(
        "booking.wants_earlier", "Waitlist changed", "Waitlist for an earlier time changed"
    )
    actions.register_action("booking.export", "Requests exported", "Appointment requests exported")


@hooks.register("construct_homepage_panels")
def add_front_desk_panel(request, panels):
    if request_permissions.user_has_any_permission(request.user, {"view", "change"}):
        panels.append(FrontDeskPanel())


@hooks.register("register_admin_urls")
def register_report_urls():
    return report_urls


class FrontDeskReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request_permissions.user_has_any_permission(request.user, {"view", "change"})


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return FrontDeskReportMenuItem(
        "Articles that bring patients",
        reverse("booking_report"),
        name="articles-that-bring-patients",
        icon_name="doc-full",
        order=1000,
    )


@hooks.register("insert_global_admin_css")
def front_desk_css():
    return format_html('<link rel="stylesheet" href="{}">', static("booking/css/admin.css"))
