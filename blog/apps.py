from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Articles"

    def ready(self):
        from blog import fragments

        fragments.connect_signals()
