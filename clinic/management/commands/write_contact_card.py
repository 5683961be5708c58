"""Write the error page's name and phone to its file (deploy, web start)."""

from django.core.management.base import BaseCommand
from wagtail.models import Site

from clinic import contact_card
from clinic.models import ClinicSettings


class Command(BaseCommand):
    help = (
        "Write the clinic's name and phone from Clinic settings to CONTACT_CARD_FILE, which "
        "the 500 page reads when the database and the cache are down."
    )

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).first()
        clinic_settings = ClinicSettings.for_site(site) if site else ClinicSettings()
        contact_card.forget()
        contact_card.remember(clinic_settings.contact_snapshot())
        self.stdout.write(f"Contact card written to {contact_card.path()}.")
