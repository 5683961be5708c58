"""Admin menus for the clinic's people and places."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from clinic.models import Location, Therapist


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


register_snippet(TherapistViewSet)
register_snippet(LocationViewSet)
