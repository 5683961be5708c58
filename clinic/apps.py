from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self):
        from clinic import (
            checks,  # noqa: F401 - registers the deployment checks
            page_cache,
            purging,
        )

        page_cache.connect_signals()
        purging.connect_signals()
