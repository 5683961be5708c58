"""Make sure a local admin account exists, for `make run` on a developer's machine."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the local 'admin' superuser if missing and print how to log in (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a known-password admin with DEBUG off.")
        username = os.environ.get("LOCAL_ADMIN_USERNAME", "admin")
        password = os.environ.get("LOCAL_ADMIN_PASSWORD", "clinic-admin-local")
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@localhost"},
        )
        if created:
            user.set_password(password)
            user.save()
        url = f"{settings.WAGTAILADMIN_BASE_URL}/admin/"
        if created or user.check_password(password):
            self.stdout.write(f"Log in at {url} as {username} / {password}")
        else:
            self.stdout.write(f"Log in at {url} as {username} (password unchanged)")
