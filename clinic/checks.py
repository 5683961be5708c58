"""Deployment checks (`manage.py check --deploy`) for what a clinic's site must not lack."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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
