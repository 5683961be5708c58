import datetime

import pytest
import wagtail_factories

from tests.factories import (
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    TherapistFactory,
    clinic_settings,
)


@pytest.fixture
def clinic(db):
    return clinic_settings(free_guide_title="Free Back Pain Tips Guide")


@pytest.fixture
def blog_index(home_page):
    index = BlogIndexPageFactory(parent=home_page)
    index.save_revision().publish()
    return index


@pytest.fixture
def maya(db):
    return TherapistFactory(name="Maya Okafor", credentials="PT, DPT, OCS")


@pytest.fixture
def back_pain(db):
    return BlogCategoryFactory(name="Back pain", description="Why backs hurt.")


@pytest.fixture
def hero(db):
    return wagtail_factories.ImageFactory(
        title="Stretching", description="A woman stretching her hip on a mat"
    )


@pytest.fixture
def post(blog_index, maya, back_pain, hero, clinic):
    reviewer = TherapistFactory(name="Daniel Reyes", credentials="PT, DPT")
    return BlogPostPageFactory(
        parent=blog_index,
        title="Why do my back and hip hurt?",
        intro="Back and hip pain often travel together.",
        hero_image=hero,
        hero_alt="A woman stretching her hip on a mat",
        reviewed_by=reviewer,
        date_published=datetime.date(2025, 1, 20),
        last_reviewed=datetime.date(2025, 6, 1),
        authors=[maya],
        categories=[back_pain],
        tags=["sleep"],
    )
