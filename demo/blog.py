"""Demo articles: an article index, categories, nine posts with illustrations drawn here.

Like every app's demo.py it only creates what is missing: an existing index, category,
picture or post (matched by slug or title) is left exactly as the clinic's staff left it.
"""

import datetime
import io
import math
import random
from pathlib import Path

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model
from wagtail.models import Site

from blog.importing import create_draft, parse_article
from blog.models import BlogCategory, BlogIndexPage
from clinic.models import Therapist
from demo.files import restore_missing_file

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"

CATEGORIES = {
    "Back pain": "Why backs hurt, and the everyday habits and exercises that help them recover.",
    "Sciatica": "Nerve pain down the leg: what it means, what helps, and when to get help.",
    "Hip pain": "Aching, stiff or sore hips, by day and by night.",
    "Knee pain": "Knees on stairs, in sport and with age.",
    "Neck & posture": "Neck and shoulder tension from screens, desks and daily life.",
    "Exercise & movement": "Moving more, safely: walking, strength and balance for every age.",
}

# (sky top, sky bottom, sun, far hills, near hills, words for the alt text)
PALETTES = [
    (
        (214, 234, 229),
        (246, 236, 214),
        (240, 180, 90),
        (120, 172, 160),
        (58, 122, 110),
        "teal hills under a pale dawn sky with a low golden sun",
    ),
    (
        (225, 229, 244),
        (247, 231, 222),
        (232, 150, 120),
        (150, 160, 200),
        (90, 100, 150),
        "lavender hills under a soft pink sky with a coral sun",
    ),
    (
        (228, 240, 246),
        (250, 244, 230),
        (246, 200, 110),
        (140, 180, 200),
        (70, 120, 150),
        "blue-grey hills under a clear morning sky with a yellow sun",
    ),
    (
        (236, 244, 226),
        (250, 242, 220),
        (236, 170, 80),
        (150, 186, 120),
        (90, 140, 80),
        "green meadows under a warm sky with an amber sun",
    ),
    (
        (246, 236, 226),
        (252, 246, 236),
        (220, 120, 90),
        (200, 160, 130),
        (150, 110, 90),
        "sand-coloured dunes under a peach sky with a red sun",
    ),
    (
        (222, 236, 240),
        (240, 246, 244),
        (250, 220, 140),
        (110, 160, 170),
        (40, 100, 110),
        "deep teal waves under a misty sky with a pale sun",
    ),
]

ILLUSTRATION_TITLE = "Article illustration {}"
ILLUSTRATION_FILE = "article-{}.jpg"

REVIEWERS = {
    "Maya Okafor": "Daniel Reyes",
    "Daniel Reyes": "Maya Okafor",
    "Hannah Lindqvist": "Maya Okafor",
}


def draw_landscape(seed, palette, size=(1600, 900)):
    """A calm landscape: vertical gradient sky, a sun and three layers of soft hills."""
    sky_top, sky_bottom, sun, far, near, _ = palette
    width, height = size
    rng = random.Random(seed)  # noqa: S311 - a repeatable layout, not a secret
    picture = PillowImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(sky_top, sky_bottom, strict=True)),
        )
    sun_x, sun_y, radius = rng.randint(300, 1300), rng.randint(220, 380), rng.randint(90, 140)
    glow = PillowImage.new("RGB", size, sun)
    mask = PillowImage.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse(
        [sun_x - radius * 2, sun_y - radius * 2, sun_x + radius * 2, sun_y + radius * 2], fill=90
    )
    picture.paste(glow, mask=mask.filter(ImageFilter.GaussianBlur(radius)))
    draw.ellipse([sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=sun)
    middle = tuple((a + b) // 2 for a, b in zip(far, near, strict=True))
    for layer, colour in enumerate([far, middle, near]):
        base = height * (0.55 + 0.13 * layer)
        amplitude = rng.randint(30, 70)
        wavelength = rng.randint(500, 1100)
        phase = rng.random() * math.tau
        outline = [
            (x, base + amplitude * math.sin(x / wavelength * math.tau + phase))
            for x in range(0, width + 20, 20)
        ]
        draw.polygon([*outline, (width, height), (0, height)], fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=88)
    return buffer


def illustration(number):
    """The demo's drawing for article `number`: a landscape in one of the palettes."""
    return draw_landscape(number, PALETTES[number % len(PALETTES)])


def hero_image(number):
    image_model = get_image_model()
    existing = image_model.objects.filter(title=ILLUSTRATION_TITLE.format(number)).first()
    if existing:
        return existing
    image = image_model(
        title=ILLUSTRATION_TITLE.format(number),
        description=f"Illustration of {PALETTES[number % len(PALETTES)][-1]}",
        file=ImageFile(illustration(number), name=ILLUSTRATION_FILE.format(number)),
    )
    image.save()
    return image


def restore_illustrations(count):
    """Draw the demo's illustrations again where the database outlived their files."""
    image_model = get_image_model()
    for number in range(1, count + 1):
        image = image_model.objects.filter(title=ILLUSTRATION_TITLE.format(number)).first()
        if image is not None:
            restore_missing_file(
                image, ILLUSTRATION_FILE.format(number), lambda n=number: illustration(n).getvalue()
            )


def load(stdout):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    index = BlogIndexPage.objects.child_of(home).first()
    if index is None:
        index = BlogIndexPage(
            title="Articles",
            slug="blog",
            show_in_menus=True,
            intro="<p>Practical advice from our physical therapists on back, hip, knee and "
            "neck pain, and on moving well at every age.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()

    for name, description in CATEGORIES.items():
        if not BlogCategory.objects.filter(name=name).exists():
            BlogCategory.objects.create(name=name, description=description)

    created = 0
    paths = sorted(ARTICLES_DIR.glob("*.md"))
    restore_illustrations(len(paths))
    for number, path in enumerate(paths, start=1):
        article = parse_article(path.read_text(encoding="utf-8"))
        if index.get_children().filter(slug=slugify(article.title)[:255]).exists():
            continue
        post = create_draft(article, index)
        image = hero_image(number)
        post.hero_image = image
        post.hero_alt = post.hero_alt or image.description
        author = post.post_authors.first().therapist
        post.reviewed_by = Therapist.objects.filter(name=REVIEWERS.get(author.name)).first()
        post.last_reviewed = min(
            post.date_published + datetime.timedelta(days=90), datetime.date.today()
        )
        post.save_revision().publish()
        created += 1
    stdout.write(f"Articles: index at {index.url_path}, {created} new posts.")
