"""The benchmark's data: the demo content plus thousands of generated articles.

Idempotent like `load_demo`: a second run finds the articles and adds none.
"""

import datetime
import io
import random

from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Site

from clinic.models import Therapist
from demo.files import restore_missing_file

BENCH_SLUG = "bench-article"
TOPICS = [
    "Back pain",
    "Sciatica",
    "Neck pain",
    "Knee pain",
    "Hip pain",
    "Shoulder pain",
    "Running injuries",
    "Posture",
]
TAGS = ["sleep", "running", "desk work", "stretching", "strength", "walking", "pregnancy"]
FILLER = (
    "gentle movement helps most back pain settle within weeks while rest alone often "
    "slows recovery so keep walking each day and add simple exercises your therapist "
    "shows you strength around the hips and trunk protects the spine during daily tasks"
)


def blog_models():
    """The blog app's models once its article pages exist, else None."""
    try:
        from blog import models
    except ImportError:
        return None
    return models if hasattr(models, "BlogPostPage") else None


def build(stdout, articles):
    """Load the demo content and `articles` generated articles; say what was built."""
    call_command("load_demo", stdout=stdout)
    if blog_models() is None:
        return "demo content only (blog.models has no BlogPostPage yet: no articles)"
    if not articles:
        earlier = blog_models().BlogPostPage.objects.filter(slug__startswith=BENCH_SLUG).count()
        return f"demo content + {earlier} generated articles" if earlier else "demo content"
    created = generate_articles(articles)
    return f"demo content + {articles} generated articles ({created} created this run)"


@transaction.atomic  # one commit instead of thousands: minutes become seconds
def generate_articles(count):
    """Create generated articles until there are `count`, with images, categories, tags."""
    blog = blog_models()
    images = bench_images(10)
    existing = blog.BlogPostPage.objects.filter(slug__startswith=BENCH_SLUG).count()
    if existing >= count:
        return 0
    index = blog_index(blog)
    categories = [blog.BlogCategory.objects.get_or_create(name=name)[0] for name in TOPICS]
    authors = list(Therapist.objects.all())
    rng = random.Random(existing)  # noqa: S311 - repeatable filler, not secrets
    for number in range(existing, count):
        article = blog.BlogPostPage(
            title=f"{rng.choice(TOPICS)}: what helps, part {number + 1}",
            slug=f"{BENCH_SLUG}-{number + 1}",
            intro=" ".join(rng.choices(FILLER.split(), k=30)).capitalize() + ".",
            hero_image=images[number % len(images)],
            hero_alt="A physical therapist guiding a patient through an exercise",
            body=article_body(rng),
            date_published=datetime.date.today() - datetime.timedelta(days=number),
            reviewed_by=rng.choice(authors) if authors else None,
        )
        article.categories = rng.sample(categories, 2)
        article.tags.add(*rng.sample(TAGS, 3))
        index.add_child(instance=article)
    return count - existing


def blog_index(blog):
    index = blog.BlogIndexPage.objects.live().first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=blog.BlogIndexPage(title="Articles", slug="blog"))
    return index


def article_body(rng):
    blocks = []
    for section in range(4):
        blocks.append(("heading", {"text": f"Section {section + 1}", "level": "h2"}))
        for _paragraph in range(3):
            text = " ".join(rng.choices(FILLER.split(), k=70)).capitalize()
            blocks.append(("paragraph", f"<p>{text}.</p>"))
    return blocks


def bench_images(count):
    """Real images on disk (a flat colour each), created once, drawn again if lost."""
    image_model = get_image_model()
    images = list(image_model.objects.filter(title__startswith="Bench image").order_by("pk"))
    for number, image in enumerate(images):
        restore_missing_file(image, image_name(number), lambda n=number: flat_jpeg(n))
    for number in range(len(images), count):
        image = image_model(title=f"Bench image {number + 1}")
        image.file = ImageFile(io.BytesIO(flat_jpeg(number)), name=image_name(number))
        image.save()
        images.append(image)
    return images


def image_name(number):
    return f"bench-{number + 1}.jpg"


def flat_jpeg(number):
    buffer = io.BytesIO()
    colour = (40 + number * 20, 110, 160 - number * 10)
    PillowImage.new("RGB", (1600, 900), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
