"""Set up an empty site the first time (compose's `migrate` service runs it on every
deploy; it changes nothing once done): the home page, the Clinic settings to fill in and
the first admin account."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Locale, Page, Site

from clinic.models import ClinicSettings, HomePage


def ensure_home_page():
    """The default Site and its HomePage (migrations make them; a restored or hand-made
    database may lack them)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site, False
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE.split("-")[0])
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root"))
        home = root.add_child(instance=HomePage(title="Home", slug="home"))
    if site is None:
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return site, True


class Command(BaseCommand):
    help = (
        "Prepare an empty site: home page, Clinic settings to fill in, and the first admin "
        "account (FIRST_ADMIN_USERNAME / _EMAIL / _PASSWORD; a generated password is printed "
        "once). Safe to run on every deploy."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            site, home_created = ensure_home_page()
            clinic_settings = ClinicSettings.for_site(site)
            if not clinic_settings.name:
                clinic_settings.name = settings.WAGTAIL_SITE_NAME
                clinic_settings.save()
            admin_line = self.ensure_admin()
        call_command("write_contact_card", stdout=self.stdout)
        self.stdout.write(("Home page created. " if home_created else "") + admin_line)
        admin_url = f"{settings.WAGTAILADMIN_BASE_URL}/admin/"
        if not clinic_settings.phone:
            self.stdout.write(
                f"Next: sign in at {admin_url} and fill in Settings > Clinic settings "
                "(name, phone, email, booking page): every call to action reads them."
            )

    def ensure_admin(self):
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            return "An admin account exists already."
        username = settings.FIRST_ADMIN_USERNAME
        password = settings.FIRST_ADMIN_PASSWORD or secrets.token_urlsafe(12)
        user = user_model.objects.create_superuser(
            username=username, email=settings.FIRST_ADMIN_EMAIL, password=password
        )
        if settings.FIRST_ADMIN_PASSWORD:
            return f"Admin account {user.username!r} created with FIRST_ADMIN_PASSWORD."
        return (
            f"Admin account {user.username!r} created; its password, shown only this once: "
            f"{password}  (change it after signing in)."
        )
