from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for trying the product: installed only with DEBUG on or DEMO=1."""

    name = "demo"
    verbose_name = "Demo content"
