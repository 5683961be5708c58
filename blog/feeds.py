"""RSS feeds of articles: all of an index's posts, or one category's."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

from blog.models import BlogPostPage, post_listing
from blog.seo import share_rendition
from clinic.models import ClinicSettings
from clinic.site_url import absolute_url

FEED_LENGTH = 20


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 with each article's picture as <media:content> (no file size needed)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": "http://search.yahoo.com/mrss/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("image")
        if image:
            handler.addQuickElement(
                "media:content",
                attrs={
                    "url": image["url"],
                    "medium": "image",
                    "type": "image/jpeg",
                    "width": str(image["width"]),
                    "height": str(image["height"]),
                },
            )


class PostFeed(Feed):
    feed_type = MediaRssFeed

    def __init__(self, index, category=None):
        super().__init__()
        self.index = index
        self.category = category

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.clinic = ClinicSettings.for_request(request)
        return super().__call__(request, *args, **kwargs)

    def title(self):
        suffix = f", {self.category.name}" if self.category else ""
        return f"{self.clinic.name}: {self.index.title}{suffix}"

    def link(self):
        url = self.index.get_full_url(self.request)
        if self.category:
            url += self.index.reverse_subpage("category_posts", args=[self.category.slug])
        return url

    def feed_url(self):
        # Absolute, or the syndication framework would name the request's host.
        return absolute_url(self.request.path, self.request)

    def description(self):
        if self.category and self.category.description:
            return self.category.description
        return f"New articles from the physical therapists of {self.clinic.name}."

    def items(self):
        posts = post_listing(BlogPostPage.objects.child_of(self.index)).prefetch_related(
            "categories"
        )
        if self.category:
            posts = posts.filter(categories=self.category)
        return posts[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        """The article's own date (an import or the demo loads old articles today)."""
        return timezone.make_aware(datetime.datetime.combine(item.date_published, datetime.time()))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return ", ".join(author.name_with_credentials for author in item.authors) or None

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]

    def item_extra_kwargs(self, item):
        if not item.hero_image:
            return {}
        rendition = share_rendition(item.hero_image)
        return {
            "image": {
                "url": absolute_url(rendition.url, self.request),
                "width": rendition.width,
                "height": rendition.height,
            }
        }
