"""Each page type costs a fixed number of SQL queries, however many posts there are."""

import pytest
import wagtail_factories

from tests.factories import BlogCategoryFactory, BlogPostPageFactory, TherapistFactory

pytestmark = pytest.mark.django_db

# Site and page routing, clinic settings, menu and footer locations included; the post
# page also asks which conditions link to it (the way back to the services).
POST_PAGE_QUERIES = 32
INDEX_PAGE_QUERIES = 19
CATEGORY_PAGE_QUERIES = 20
FEED_QUERIES = 12


@pytest.fixture(params=[3, 30], ids=["3 posts", "30 posts"])
def blog(request, blog_index, clinic):
    """`n` posts, each with two authors, two categories, tags and a hero image."""
    therapists = [TherapistFactory() for _ in range(3)]
    categories = [BlogCategoryFactory(name=name) for name in ("Back pain", "Hips", "Knees")]
    image = wagtail_factories.ImageFactory(description="A calm landscape")
    posts = [
        BlogPostPageFactory(
            parent=blog_index,
            hero_image=image,
            hero_alt="A calm landscape",
            authors=therapists[n % 3 : n % 3 + 2] or therapists[:2],
            categories=categories[n % 3 : n % 3 + 2] or categories[:2],
            tags=["sleep", f"tag-{n}"],
            reviewed_by=therapists[0],
            publish="quickly",
        )
        for n in range(request.param)
    ]
    return blog_index, posts


def test_post_index_category_and_feed_cost_a_fixed_number_of_queries(
    client, blog, django_assert_num_queries
):
    index, posts = blog
    budgets = {
        posts[len(posts) // 2].url: POST_PAGE_QUERIES,
        index.url: INDEX_PAGE_QUERIES,
        f"{index.url}category/back-pain/": CATEGORY_PAGE_QUERIES,
        f"{index.url}feed/": FEED_QUERIES,
    }
    for url, budget in budgets.items():
        client.get(url)  # The first visit makes the image renditions; later ones reuse them.
        with django_assert_num_queries(budget):
            assert client.get(url).status_code == 200
