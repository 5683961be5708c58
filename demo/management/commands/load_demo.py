"""Fill the site with demo content. Safe to run again: it updates, never duplicates."""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page

from blog.importing import parse_article
from booking.models import AppointmentRequest
from clinic.models import Therapist

# Each app's part of the demo, clinic first (the others point at what it creates).
PARTS = ["demo.clinic", "demo.blog", "demo.booking"]


def demo_page_slugs():
    from demo import blog, clinic

    articles = [
        slugify(parse_article(path.read_text(encoding="utf-8")).title)[:255]
        for path in blog.ARTICLES_DIR.glob("*.md")
    ]
    return {
        *clinic.PAGE_SLUGS,
        *(service["slug"] for service in clinic.texts.SERVICES),
        "blog",
        *articles,
    }


def content_not_from_demo():
    """What the database holds that the demo did not create: a real clinic's content."""
    from demo import booking, clinic

    counts = {
        "pages": Page.objects.filter(depth__gt=2).exclude(slug__in=demo_page_slugs()).count(),
        "therapists": Therapist.objects.exclude(
            name__in=[person["name"] for person in clinic.THERAPISTS]
        ).count(),
        "appointment requests": AppointmentRequest.objects.exclude(
            reference__in=[sample["reference"] for sample in booking.SAMPLES]
        ).count(),
    }
    return {what: count for what, count in counts.items() if count}


class Command(BaseCommand):
    help = (
        "Load the clinic's demo content (idempotent). Each part in demo/ (one per app) has "
        "load(stdout), and optionally finish(stdout) run after every part's load. Refuses a "
        "database holding content the demo did not create, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the demo content even to a database with the clinic's own content.",
        )

    def handle(self, *args, force=False, **options):
        foreign = content_not_from_demo()
        if foreign and not force:
            found = ", ".join(f"{count} {what}" for what, count in foreign.items())
            raise CommandError(
                f"Refusing: this database holds content the demo did not create ({found}). "
                "Demo content is for trying the product; add --force to mix it in anyway."
            )
        with transaction.atomic():
            modules = [import_module(name) for name in PARTS]
            for module in modules:
                module.load(self.stdout)
            # Optional second pass, for links to what a later app created.
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
