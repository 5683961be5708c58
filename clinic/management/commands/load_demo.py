"""Fill the site with demo content. Safe to run again: it updates, never duplicates."""

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


def project_apps_with_demo():
    """The project's own apps that ship a demo.py, clinic first (the others point at it)."""
    names = [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and find_spec(f"{config.name}.demo") is not None
    ]
    return sorted(names, key=lambda name: (name != "clinic", name))


class Command(BaseCommand):
    help = (
        "Load the clinic's demo content (idempotent). Each app adds its part in <app>/demo.py: "
        "load(stdout), and optionally finish(stdout) run after every app's load."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            modules = [import_module(f"{name}.demo") for name in project_apps_with_demo()]
            for module in modules:
                module.load(self.stdout)
            # Optional second pass, for links to what a later app created.
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
