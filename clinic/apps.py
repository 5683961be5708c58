from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self):
        from clinic import (
            checks,  # noqa: F401 - registers the deployment checks
            content_version,
            header_footer,
            purging,
        )

        content_version.connect_signals()
        header_footer.connect_signals()
        purging.connect_signals()
