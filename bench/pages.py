"""The page types the benchmark measures: the one list to extend when a page type lands."""

from dataclasses import dataclass, field

from bench.dataset import blog_models


@dataclass
class Target:
    label: str
    path: str
    method: str = "GET"
    # Form fields of a POST (the CSRF token is added by the harness).
    form: dict = field(default_factory=dict)
    # Measured with and without the page cache; False: only as deployed (cache on),
    # for pages that are never cached (forms).
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
        Target("booking submit POST", "/book/", "POST", booking_form(), cacheable=False),
    ]
    return found


def booking_form():
    """A valid appointment request: the booking app's form fields once it lands."""
    return {}
