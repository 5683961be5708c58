"""manage.py import_wordpress EXPORT.xml --index <slug>: move a WordPress blog in."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blog.importing_wordpress import WordPressImporter, WordPressImportError
from blog.models import BlogIndexPage


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools -> Export, WXR 1.1 or 1.2): posts become articles "
        "under the article index with the given slug, pages standard pages, and every old "
        "address redirects to its new page. Running it again updates what it made. "
        "See blog/importing_wordpress.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The .xml file WordPress exported.")
        parser.add_argument("--index", required=True, help="Slug of the article index, e.g. blog.")
        parser.add_argument(
            "--uploads",
            type=Path,
            help="The blog's wp-content/uploads folder, or a zip of it, for the pictures.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; change nothing."
        )

    def handle(self, *args, export, index, uploads, dry_run, **options):
        if not export.is_file():
            raise CommandError(f"There is no file {export}.")
        if uploads and not uploads.exists():
            raise CommandError(f"There is no folder or zip file {uploads}.")
        blog_index = BlogIndexPage.objects.filter(slug=index).first()
        if blog_index is None:
            known = ", ".join(BlogIndexPage.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No article index has the slug {index!r} (known: {known}).")
        try:
            with export.open("rb") as source:
                report = WordPressImporter(
                    source, blog_index, uploads=uploads, dry_run=dry_run
                ).run()
        except WordPressImportError as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
        for line in report.lines():
            self.stdout.write(line)
