"""Make the default Wagtail Site name SITE_URL's host and port (run on every deploy)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic.site_url import hostname_and_port, problem_with, site_for


class Command(BaseCommand):
    help = (
        "Point the default Wagtail Site at SITE_URL (hostname and port), which sitemap, feeds, "
        "JSON-LD, canonical links and robots.txt name. Changes nothing when they agree."
    )

    def handle(self, *args, **options):
        site_url = settings.SITE_URL
        if not site_url:
            raise CommandError("SITE_URL is not set (e.g. https://www.example-clinic.com).")
        if problem := problem_with(site_url):
            raise CommandError(problem)
        site = site_for()
        if site is None:
            raise CommandError("There is no default Site yet: run `manage.py first_run`.")
        hostname, port = hostname_and_port(site_url)
        if (site.hostname, site.port) == (hostname, port):
            self.stdout.write(f"Site already at {site.root_url}.")
            return
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
        self.stdout.write(f"Site now at {site.root_url}.")
