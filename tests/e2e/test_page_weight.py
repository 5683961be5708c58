"""An article weighs what a phone on a weak connection can carry: its HTML, CSS,
JavaScript and fonts under 100 KB as sent compressed (images, which are sized per screen
and lazy-loaded, aside)."""

import gzip

from blog.models import BlogPostPage

BUDGET_BYTES = 100 * 1024
ALREADY_COMPRESSED = {"font"}  # woff2 is compressed; gzip would not shrink it


def test_an_article_weighs_under_100_kb_compressed_without_its_images(demo_site, desktop):
    weights = {}
    desktop.on(
        "response",
        lambda response: weights.setdefault(
            response.url, (response.request.resource_type, response)
        ),
    )
    article = BlogPostPage.objects.live().order_by("-date_published").first()
    # The first view makes the article's image renditions: slow on a busy machine, once.
    desktop.goto(article.url, timeout=120_000)
    desktop.wait_for_load_state("networkidle")

    sizes = {}
    for url, (kind, response) in weights.items():
        if kind in {"document", "stylesheet", "script", "font"}:
            body = response.body()
            sizes[url] = len(body) if kind in ALREADY_COMPRESSED else len(gzip.compress(body, 6))
    kinds = {kind for kind, _ in weights.values()}
    assert {"document", "stylesheet", "script", "font"} <= kinds, kinds
    total = sum(sizes.values())
    detail = "\n".join(f"{size:>7} {url}" for url, size in sorted(sizes.items()))
    print(f"\nArticle weight, compressed, images excluded: {total} bytes\n{detail}")
    assert total < BUDGET_BYTES, f"{total} bytes:\n{detail}"
