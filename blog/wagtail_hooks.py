from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from blog.models import BlogCategory


class BlogCategoryViewSet(SnippetViewSet):
    model = BlogCategory
    icon = "folder-open-inverse"
    menu_label = "Article categories"
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "slug"]


register_snippet(BlogCategoryViewSet)
