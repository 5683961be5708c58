from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Articles"

    def ready(self):
        from taggit.models import Tag

        from blog.models import BlogCategory
        from clinic import content_version

        content_version.shown_by_pages(BlogCategory, Tag)
