"""Admin menus for the clinic's people and places."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from clinic.models import Location, Testimonial, Therapist


class TherapistViewSet(SnippetViewSet):
    model = Therapist
    icon = "user"
    menu_label = "Therapists"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "credentials", "job_title", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    menu_label = "Locations"
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name", "city", "phone"]


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = "Testimonials"
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["patient_name", "treated_for", "has_consent", "show_on_home_page"]
    list_filter = ["has_consent", "show_on_home_page"]
    search_fields = ["patient_name", "quote"]


register_snippet(TherapistViewSet)
register_snippet(LocationViewSet)
register_snippet(TestimonialViewSet)
