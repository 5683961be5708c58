"""Demo articles: an article index, categories, nine posts with illustrations drawn here.

Like every app's demo.py it only creates what is missing: an existing index, category,
picture or post (matched by slug or title) is left exactly as the clinic's staff left it.
"""

import datetime
import functools
import io
from pathlib import Path

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw
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

ILLUSTRATION_TITLE = "Article illustration {}"
ILLUSTRATION_FILE = "article-{}.jpg"

REVIEWERS = {
    "Maya Okafor": "Daniel Reyes",
    "Daniel Reyes": "Maya Okafor",
    "Hannah Lindqvist": "Maya Okafor",
}


TEAL, TEAL_DARK, SAND, CORAL, WOOD, WHITE = (
    (11, 110, 99),
    (8, 82, 74),
    (236, 222, 200),
    (232, 140, 108),
    (196, 150, 104),
    (255, 255, 255),
)


def _walking(draw, w, h):
    draw.rectangle((0, h * 0.55, w, h), fill=(156, 196, 132))
    draw.polygon(
        [(w * 0.42, h * 0.55), (w * 0.58, h * 0.55), (w * 0.95, h), (w * 0.05, h)], fill=SAND
    )
    for x, y, r in [(0.12, 0.42, 110), (0.26, 0.36, 140), (0.8, 0.38, 150), (0.92, 0.46, 90)]:
        draw.rectangle((w * x - 14, h * y, w * x + 14, h * 0.62), fill=(120, 86, 60))
        draw.ellipse((w * x - r, h * y - r * 1.2, w * x + r, h * y + r * 0.6), fill=(84, 140, 92))
    for step in range(5):  # footprints up the path
        y = h * (0.95 - step * 0.08)
        x = w * (0.47 + (0.04 if step % 2 else 0))
        size = 30 - step * 4
        draw.ellipse((x - size, y - size * 1.6, x + size, y + size * 1.6), fill=TEAL)


def _spine(draw, w, h, nerve=True):
    cx, u = w * 0.5, w / 100  # u: one hundredth of the width
    for n in range(7):
        y = h * 0.08 + n * h * 0.1
        half = (5 + n * 0.7) * u
        draw.rounded_rectangle((cx - half, y, cx + half, y + h * 0.075), radius=2 * u, fill=WHITE)
        draw.rounded_rectangle(
            (cx - 2 * u, y + h * 0.07, cx + 2 * u, y + h * 0.1), radius=u, fill=(200, 220, 214)
        )
    if nerve:
        points = [
            (cx + 6 * u, h * 0.7),
            (cx + 12 * u, h * 0.8),
            (cx + 15 * u, h * 0.92),
            (cx + 16 * u, h),
        ]
        draw.line(points, fill=CORAL, width=int(1.4 * u), joint="curve")
        for x, y in points[1:3]:
            draw.ellipse(
                (x - 2 * u, y - 2 * u, x + 2 * u, y + 2 * u), outline=CORAL, width=int(0.6 * u)
            )
    else:  # the pelvis under the spine
        draw.ellipse((cx - 22 * u, h * 0.76, cx - 3 * u, h * 1.1), fill=WHITE)
        draw.ellipse((cx + 3 * u, h * 0.76, cx + 22 * u, h * 1.1), fill=WHITE)
        draw.ellipse((cx - 7 * u, h * 0.86, cx + 7 * u, h * 1.12), fill=(225, 235, 240))


def _bed(draw, w, h, moon=False):
    floor = h * 0.8
    draw.rectangle((0, floor, w, h), fill=(214, 190, 160))
    draw.rounded_rectangle((w * 0.2, h * 0.35, w * 0.24, floor + 20), radius=12, fill=WOOD)
    draw.rounded_rectangle((w * 0.2, h * 0.55, w * 0.84, h * 0.72), radius=30, fill=WHITE)
    draw.rounded_rectangle((w * 0.24, h * 0.47, w * 0.4, h * 0.58), radius=40, fill=(240, 240, 236))
    draw.rounded_rectangle((w * 0.38, h * 0.5, w * 0.84, h * 0.66), radius=40, fill=TEAL)
    draw.rectangle((w * 0.22, h * 0.72, w * 0.86, h * 0.76), fill=WOOD)
    draw.rectangle((w * 0.82, h * 0.6, w * 0.86, floor + 20), fill=WOOD)
    draw.rectangle((w * 0.06, h * 0.62, w * 0.16, floor), fill=WOOD)  # bedside table
    draw.polygon(
        [(w * 0.08, h * 0.44), (w * 0.14, h * 0.44), (w * 0.16, h * 0.54), (w * 0.06, h * 0.54)],
        fill=(246, 200, 110),
    )
    draw.rectangle((w * 0.105, h * 0.54, w * 0.115, h * 0.62), fill=(120, 100, 80))
    if moon:
        draw.ellipse((w * 0.72, h * 0.08, w * 0.8, h * 0.22), fill=(250, 236, 180))
        draw.ellipse((w * 0.745, h * 0.06, w * 0.825, h * 0.2), fill=(214, 222, 240))
    else:
        draw.rectangle((w * 0.56, h * 0.08, w * 0.82, h * 0.4), fill=WHITE)
        draw.rectangle((w * 0.575, h * 0.1, w * 0.805, h * 0.38), fill=(190, 222, 232))


def _stairs(draw, w, h):
    steps = 6
    for n in range(steps):
        x0 = w * 0.1 + n * w * 0.13
        y0 = h * 0.9 - (n + 1) * h * 0.12
        draw.rectangle((x0, y0, w, h), fill=(222, 206, 184) if n % 2 else (210, 192, 168))
        draw.rectangle((x0, y0, w, y0 + 16), fill=WOOD)
    draw.line([(w * 0.12, h * 0.66), (w * 0.9, h * 0.0)], fill=TEAL_DARK, width=22)
    for n in range(steps):
        x = w * 0.16 + n * w * 0.13
        draw.line(
            [(x, h * 0.9 - (n + 1) * h * 0.12), (x, h * 0.63 - n * h * 0.11)],
            fill=TEAL_DARK,
            width=10,
        )


def _desk(draw, w, h):
    floor = h * 0.82
    draw.rectangle((0, floor, w, h), fill=(214, 190, 160))
    draw.rectangle((w * 0.2, h * 0.55, w * 0.85, h * 0.6), fill=WOOD)
    for x in (0.23, 0.8):
        draw.rectangle((w * x, h * 0.6, w * x + 24, floor), fill=(150, 112, 78))
    draw.rounded_rectangle((w * 0.42, h * 0.18, w * 0.7, h * 0.44), radius=14, fill=(40, 52, 60))
    draw.rectangle((w * 0.44, h * 0.21, w * 0.68, h * 0.41), fill=(150, 200, 210))
    draw.rectangle((w * 0.55, h * 0.44, w * 0.57, h * 0.55), fill=(40, 52, 60))
    draw.rounded_rectangle((w * 0.48, h * 0.52, w * 0.64, h * 0.55), radius=6, fill=(40, 52, 60))
    draw.rounded_rectangle(
        (w * 0.08, h * 0.45, w * 0.2, h * 0.62), radius=20, fill=TEAL
    )  # chair back
    draw.rounded_rectangle((w * 0.06, h * 0.6, w * 0.26, h * 0.66), radius=16, fill=TEAL_DARK)
    draw.rectangle((w * 0.15, h * 0.66, w * 0.17, floor - 20), fill=(90, 96, 100))
    draw.line(
        [(w * 0.78, h * 0.55), (w * 0.74, h * 0.3), (w * 0.8, h * 0.22)],
        fill=(90, 96, 100),
        width=12,
    )
    draw.pieslice((w * 0.77, h * 0.17, w * 0.87, h * 0.31), 200, 380, fill=(246, 200, 110))


def _weights(draw, w, h):
    u = w / 100
    draw.rounded_rectangle((w * 0.08, h * 0.8, w * 0.92, h * 0.9), radius=2 * u, fill=TEAL)
    for cx in (0.24, 0.5):
        x = w * cx
        draw.rectangle((x - 9 * u, h * 0.62, x + 9 * u, h * 0.66), fill=(90, 96, 100))
        for side in (-1, 1):
            draw.rounded_rectangle(
                (x + side * 8 * u - 2.5 * u, h * 0.5, x + side * 8 * u + 2.5 * u, h * 0.78),
                radius=u,
                fill=(52, 60, 66),
            )
    draw.ellipse((w * 0.66, h * 0.44, w * 0.86, h * 0.8), fill=CORAL)  # kettlebell
    draw.arc((w * 0.7, h * 0.28, w * 0.82, h * 0.54), 180, 360, fill=CORAL, width=int(2.4 * u))


def _chair(draw, w, h):
    floor = h * 0.84
    draw.rectangle((0, floor, w, h), fill=(214, 190, 160))
    draw.rounded_rectangle((w * 0.25, h * 0.22, w * 0.75, h * 0.66), radius=60, fill=TEAL)
    draw.rounded_rectangle((w * 0.18, h * 0.5, w * 0.32, h * 0.78), radius=40, fill=TEAL_DARK)
    draw.rounded_rectangle((w * 0.68, h * 0.5, w * 0.82, h * 0.78), radius=40, fill=TEAL_DARK)
    draw.rounded_rectangle((w * 0.3, h * 0.58, w * 0.7, h * 0.76), radius=30, fill=(16, 128, 114))
    draw.rounded_rectangle(
        (w * 0.36, h * 0.42, w * 0.64, h * 0.52), radius=40, fill=SAND
    )  # the rolled towel
    for x in (0.24, 0.74):
        draw.rectangle((w * x, h * 0.78, w * x + 20, floor), fill=WOOD)


def _sky(draw, w, h, top, bottom):
    for y in range(int(h)):
        t = y / h
        draw.line(
            [(0, y), (w, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )


# For each demo article, in file order: the scene, its background and the alt text.
SCENES = [
    (_walking, ((206, 230, 238), (240, 244, 232)), "A park path with footprints between trees"),
    (
        _spine,
        ((226, 236, 240), (214, 228, 236)),
        "A drawing of the spine with the sciatic nerve running down",
    ),
    (_bed, ((240, 232, 218), (232, 222, 204)), "A made bed beside a window and a bedside lamp"),
    (
        lambda d, w, h: _bed(d, w, h, moon=True),
        ((200, 208, 232), (226, 228, 240)),
        "A bed at night under a crescent moon",
    ),
    (_stairs, ((238, 232, 222), (232, 224, 210)), "A flight of stairs with a handrail"),
    (
        _desk,
        ((232, 238, 236), (224, 232, 228)),
        "A desk with a screen at eye level and an office chair",
    ),
    (_weights, ((242, 232, 220), (236, 226, 214)), "Dumbbells and a kettlebell on an exercise mat"),
    (
        _chair,
        ((238, 234, 226), (230, 224, 214)),
        "An armchair with a rolled towel behind the lower back",
    ),
    (
        lambda d, w, h: _spine(d, w, h, nerve=False),
        ((230, 236, 244), (218, 228, 240)),
        "A drawing of the lower spine and the hips",
    ),
]


@functools.cache  # the same drawing on every run: drawn once per process
def illustration(number, size=(1600, 900)):
    """The demo's drawing for article `number`, as JPEG bytes: a simple scene of what the
    article is about."""
    scene, (top, bottom), _ = SCENES[(number - 1) % len(SCENES)]
    scale = 2  # drawn large, then shrunk, for smooth edges
    width, height = size[0] * scale, size[1] * scale
    picture = PillowImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    _sky(draw, width, height, top, bottom)
    scene(draw, width, height)
    buffer = io.BytesIO()
    picture.resize(size, PillowImage.LANCZOS).save(buffer, format="JPEG", quality=86, optimize=True)
    return buffer.getvalue()


def hero_image(number):
    image_model = get_image_model()
    existing = image_model.objects.filter(title=ILLUSTRATION_TITLE.format(number)).first()
    if existing:
        return existing
    image = image_model(
        title=ILLUSTRATION_TITLE.format(number),
        description=SCENES[(number - 1) % len(SCENES)][2],
        file=ImageFile(io.BytesIO(illustration(number)), name=ILLUSTRATION_FILE.format(number)),
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
                image, ILLUSTRATION_FILE.format(number), lambda n=number: illustration(n)
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
