"""Deployment checks (`manage.py check --deploy`) for what a clinic's site must not lack."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from clinic.site_url import hostname_and_port, problem_with, site_for


@register(Tags.security, deploy=True)
def check_field_encryption_keys(app_configs, **kwargs):
    if settings.FIELD_ENCRYPTION_KEYS_DERIVED:
        return [
            Error(
                "FIELD_ENCRYPTION_KEYS is not set: health data is encrypted with a key derived "
                "from SECRET_KEY (development only).",
                hint="Run `make secrets` and keep the key apart from the backups.",
                id="clinic.E001",
            )
        ]
    return []


@register(deploy=True)
def check_errors_reach_someone(app_configs, **kwargs):
    if not settings.ADMINS and not settings.SENTRY_DSN:
        return [
            Warning(
                "Neither ADMINS nor SENTRY_DSN is set: nobody hears of a server error.",
                hint="Set ADMINS (error emails) and optionally SENTRY_DSN.",
                id="clinic.W001",
            )
        ]
    return []


@register(deploy=True)
def check_site_url(app_configs, databases=None, **kwargs):
    """SITE_URL set and usable, and (with `--database default`) the Site record on it."""
    if not settings.SITE_URL:
        return [
            Warning(
                "SITE_URL is not set: sitemap, feeds and canonical links name whatever "
                "address the Wagtail Site record holds (http://localhost by default).",
                hint="Set SITE_URL=https://www.your-clinic.com and run `manage.py sync_site`.",
                id="clinic.W002",
            )
        ]
    if problem := problem_with(settings.SITE_URL):
        return [Warning(problem, id="clinic.W003")]
    if not databases:
        return []
    site = site_for()
    if site is not None and (site.hostname, site.port) != hostname_and_port(settings.SITE_URL):
        return [
            Warning(
                f"The Wagtail Site is at {site.root_url}, not SITE_URL ({settings.SITE_URL}).",
                hint="Run `manage.py sync_site` (compose's migrate service and `make run` do).",
                id="clinic.W004",
            )
        ]
    return []
