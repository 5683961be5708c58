"""Fill the site with demo content. Safe to run again: it updates, never duplicates."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's part of the demo, clinic first (the others point at what it creates).
PARTS = ["demo.clinic", "demo.blog", "demo.booking"]


class Command(BaseCommand):
    help = (
        "Load the clinic's demo content (idempotent). Each part in demo/ (one per app) has "
        "load(stdout), and optionally finish(stdout) run after every part's load."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            modules = [import_module(name) for name in PARTS]
            for module in modules:
                module.load(self.stdout)
            # Optional second pass, for links to what a later app created.
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
