from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from blog import admin_views
from blog.models import BlogCategory, SearchSynonym


class BlogCategoryViewSet(SnippetViewSet):
    model = BlogCategory
    icon = "folder-open-inverse"
    menu_label = "Article categories"
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "slug"]


register_snippet(BlogCategoryViewSet)


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = "Search synonyms"
    add_to_settings_menu = True
    list_display = ["phrase", "means"]


register_snippet(SearchSynonymViewSet)


@hooks.register("register_admin_urls")
def register_wordpress_import_urls():
    return admin_views.urls


class WordPressImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.import_permissions.user_has_permission(request.user, "add")


@hooks.register("register_settings_menu_item")
def register_wordpress_import_menu_item():
    return WordPressImportMenuItem(
        "Import from WordPress",
        reverse("wordpress_import"),
        name="import-from-wordpress",
        icon_name="download",
        order=900,
    )
