"""Write the error page's name and phone to its file (deploy, web start), and optionally
the whole error page for the HTTP cache to show while every web process is down."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.template import loader
from wagtail.models import Site

from clinic import contact_card
from clinic.models import ClinicSettings


class Command(BaseCommand):
    help = (
        "Write the clinic's name and phone from Clinic settings to CONTACT_CARD_FILE, which "
        "the 500 page reads when the database and the cache are down."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--error-page",
            type=Path,
            help="Also write the 500 page there (Varnish shows it when no web process answers).",
        )

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).first()
        clinic_settings = ClinicSettings.for_site(site) if site else ClinicSettings()
        card = clinic_settings.contact_snapshot()
        contact_card.forget()
        contact_card.remember(card)
        self.stdout.write(f"Contact card written to {contact_card.path()}.")
        if options["error_page"]:
            page = options["error_page"]
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(loader.get_template("500.html").render({"clinic": card}))
            self.stdout.write(f"Error page written to {page}.")
