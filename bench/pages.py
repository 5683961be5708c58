"""The page types the benchmark measures: the one list to extend when a page type lands."""

from dataclasses import dataclass

from bench.dataset import blog_models
from bench.patient import Bookings


@dataclass
class Target:
    label: str
    path: str
    method: str = "GET"
    # What a POST sends: valid forms, each sent once (the harness adds the CSRF token).
    forms: Bookings | None = None
    # Measured cold and warm; False: only as deployed (warm), for forms, whose every
    # request writes.
    cacheable: bool = True


def targets():
    """Every page type, resolved against the benchmark's data."""
    found = [Target("home", "/")]
    blog = blog_models()
    if blog is not None:
        index = blog.BlogIndexPage.objects.live().first()
        article = blog.BlogPostPage.objects.live().order_by("-date_published").first()
        category = blog.BlogCategory.objects.order_by("name").first()
        found += [
            Target("article index p1", index.url),
            Target("article index p50", f"{index.url}?page=50"),
            Target("category", f"{index.url}category/{category.slug}/"),
            Target("article", article.url),
            Target("search", "/search/?q=back+pain"),
        ]
    found += [
        Target("booking form GET", "/book/", cacheable=False),
        Target("booking submit POST", "/book/", "POST", bookings(), cacheable=False),
    ]
    return found


def bookings():
    """Valid appointment requests to the booking form as this site renders it."""
    from django.test import Client

    return Bookings(Client(HTTP_HOST="127.0.0.1").get("/book/").content.decode())
