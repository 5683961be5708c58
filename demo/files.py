"""Files for the demo site, drawn locally: a small PDF guide and a logo (nothing downloaded)."""

import functools
import io
import math
import textwrap
from pathlib import Path

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw

PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, in points
MARGIN = 72
BODY_SIZE, BODY_LEADING = 11, 16
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // BODY_LEADING
WRAP_COLUMNS = 88


def _pdf_text(text):
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("latin-1", "replace")


def _page_stream(lines):
    """One page's content: lines of (font, size, text), top to bottom."""
    parts = [b"BT", f"{MARGIN} {PAGE_HEIGHT - MARGIN} Td {BODY_LEADING} TL".encode()]
    for font, size, text in lines:
        parts.append(f"/{font} {size} Tf".encode())
        parts.append(b"(" + _pdf_text(text) + b") Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


def text_pdf(title, sections):
    """A plain, valid PDF: a bold title, then headed paragraphs, wrapped and paginated."""
    lines = [("F2", 20, title), ("F1", BODY_SIZE, "")]
    for heading, paragraph in sections:
        lines.append(("F2", 12, heading))
        lines += [("F1", BODY_SIZE, row) for row in textwrap.wrap(paragraph, WRAP_COLUMNS)]
        lines.append(("F1", BODY_SIZE, ""))
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]

    # Objects: 1 catalog, 2 page tree, 3-4 fonts, then a page and its content per page.
    first_page = 5
    page_ids = [first_page + 2 * n for n in range(len(pages))]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids ["
        + b" ".join(f"{pid} 0 R".encode() for pid in page_ids)
        + f"] /Count {len(pages)} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
    }
    for pid, page_lines in zip(page_ids, pages, strict=True):
        stream = _page_stream(page_lines)
        objects[pid] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {pid + 1} 0 R >>"
        ).encode()
        objects[pid + 1] = (
            f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
        )

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n")
    xref_at = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for number in sorted(objects):
        out.write(f"{offsets[number]:010d} 00000 n \n".encode())
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
    out.write(trailer.encode())
    return out.getvalue()


@functools.cache  # the same drawing on every run: drawn once per process
def logo_png(size=256):
    """A calm round mark: two white waves on the brand teal."""
    scale = 4  # draw large, then shrink, for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill=(11, 110, 99, 255))
    margin = big // 5
    for centre, amplitude in ((0.44, big / 16), (0.62, big / 22)):
        points = [
            (x, big * centre + amplitude * math.sin(2 * math.pi * (x - margin) / (big / 2.5)))
            for x in range(margin, big - margin + 1, 2)
        ]
        radius = big // 36
        for x, y in points:  # a round brush along the curve: smooth, even stroke
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill="white")
    image = image.resize((size, size), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def restore_missing_file(item, name, draw):
    """Draw the file of a demo image or document again when it is gone; True if it was.

    A database can outlive its media folder (a kept benchmark database in a fresh clone, a
    lost volume); every page showing such an image would then link files that answer 404.
    Only a file the demo drew itself (named after `name`) is drawn again, by `draw()`, which
    gives its bytes; an uploaded file that went missing stays the staff's to replace. An
    image's renditions whose files are gone are dropped: Wagtail makes them on next view.
    """
    drawn_by_demo = Path(item.file.name).name.startswith(Path(name).stem)
    restored = drawn_by_demo and not item.file.storage.exists(item.file.name)
    if restored:
        item.file = ImageFile(io.BytesIO(draw()), name=name)  # ImageFile: width, height
        item.file_size = item.file.size
        item._set_file_hash()
        item.save()
    if hasattr(item, "renditions"):
        lost = [
            rendition.pk
            for rendition in item.renditions.all()
            if restored or not rendition.file.storage.exists(rendition.file.name)
        ]
        item.renditions.filter(pk__in=lost).delete()
    return restored


# Placeholder photographs, drawn here: a treatment room (the home page's hero), the
# clinic's entrance (Contact) and head-and-shoulders portraits (the team). Flat and
# friendly, so nobody mistakes them for real photos; the admin asks for real ones.

SUPERSAMPLE = 2


def _canvas(size, colour):
    width, height = size
    image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), colour)
    return image, ImageDraw.Draw(image), SUPERSAMPLE


def _jpeg(image, size):
    out = io.BytesIO()
    image.resize(size, Image.LANCZOS).save(out, format="JPEG", quality=86, optimize=True)
    return out.getvalue()


def _vertical_gradient(draw, box, top, bottom):
    left, upper, right, lower = box
    for y in range(upper, lower):
        t = (y - upper) / max(1, lower - upper)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(left, y), (right, y)], fill=colour)


@functools.cache
def treatment_room_jpeg(size=(1600, 1200)):
    """A bright treatment room: window light, a padded table, wall bars, a plant, a ball."""
    image, draw, s = _canvas(size, (244, 238, 228))
    width, height = image.size
    floor = int(height * 0.72)
    _vertical_gradient(draw, (0, 0, width, floor), (247, 242, 234), (236, 227, 213))
    _vertical_gradient(draw, (0, floor, width, height), (214, 190, 160), (190, 162, 128))
    for x in range(0, width, 90 * s):  # floorboards
        draw.line([(x, floor), (x - 160 * s, height)], fill=(182, 152, 118), width=2 * s)
    # The window, with sky and a tree outside.
    wx0, wy0, wx1, wy1 = (
        int(width * 0.08),
        int(height * 0.12),
        int(width * 0.42),
        int(height * 0.58),
    )
    draw.rectangle((wx0 - 14 * s, wy0 - 14 * s, wx1 + 14 * s, wy1 + 14 * s), fill=(255, 255, 255))
    _vertical_gradient(draw, (wx0, wy0, wx1, wy1), (176, 214, 228), (226, 240, 236))
    draw.ellipse((wx0 + 40 * s, wy1 - 170 * s, wx0 + 300 * s, wy1 + 60 * s), fill=(120, 170, 130))
    draw.rectangle((wx0, wy1 - 40 * s, wx1, wy1), fill=(150, 190, 140))
    draw.line([((wx0 + wx1) // 2, wy0), ((wx0 + wx1) // 2, wy1)], fill="white", width=10 * s)
    draw.line([(wx0, (wy0 + wy1) // 2), (wx1, (wy0 + wy1) // 2)], fill="white", width=10 * s)
    # Light falling on the floor.
    draw.polygon(
        [(wx0, floor), (wx1, floor), (wx1 + 260 * s, height), (wx0 + 120 * s, height)],
        fill=(226, 204, 172),
    )
    # Wall bars on the right.
    bx0, bx1 = int(width * 0.80), int(width * 0.94)
    for x in (bx0, bx1):
        draw.rectangle((x - 10 * s, int(height * 0.1), x + 10 * s, floor), fill=(196, 160, 112))
    for y in range(int(height * 0.14), floor, 46 * s):
        draw.rounded_rectangle((bx0, y, bx1, y + 12 * s), radius=6 * s, fill=(210, 176, 128))
    # The treatment table: teal padding on a pale frame.
    tx0, tx1, ty = int(width * 0.34), int(width * 0.64), int(height * 0.60)
    for x in (tx0 + 40 * s, tx1 - 60 * s):
        draw.rectangle((x, ty + 40 * s, x + 22 * s, floor + 30 * s), fill=(200, 205, 208))
    draw.rounded_rectangle((tx0, ty, tx1, ty + 56 * s), radius=22 * s, fill=(11, 110, 99))
    draw.rounded_rectangle((tx0, ty, tx0 + 150 * s, ty + 56 * s), radius=22 * s, fill=(9, 92, 83))
    draw.rounded_rectangle(
        (tx0 + 40 * s, ty - 26 * s, tx0 + 210 * s, ty + 6 * s), radius=14 * s, fill="white"
    )
    # An exercise ball and a plant.
    draw.ellipse(
        (int(width * 0.68), floor - 150 * s, int(width * 0.68) + 190 * s, floor + 40 * s),
        fill=(232, 150, 110),
    )
    px = int(width * 0.16)
    draw.polygon(
        [
            (px, floor + 60 * s),
            (px + 150 * s, floor + 60 * s),
            (px + 130 * s, floor - 70 * s),
            (px + 20 * s, floor - 70 * s),
        ],
        fill=(170, 92, 66),
    )
    for angle in range(-70, 71, 20):
        tip = (
            px + 75 * s + int(math.sin(math.radians(angle)) * 190 * s),
            floor - 70 * s - int(math.cos(math.radians(angle)) * 210 * s),
        )
        draw.line([(px + 75 * s, floor - 70 * s), tip], fill=(70, 130, 90), width=26 * s)
        draw.ellipse(
            (tip[0] - 26 * s, tip[1] - 26 * s, tip[0] + 26 * s, tip[1] + 26 * s),
            fill=(86, 150, 104),
        )
    return _jpeg(image, size)


@functools.cache
def entrance_jpeg(size=(1500, 1000)):
    """The clinic's entrance: a brick front, tall windows, a teal awning and door."""
    image, draw, s = _canvas(size, (205, 226, 236))
    width, height = image.size
    _vertical_gradient(draw, (0, 0, width, int(height * 0.3)), (182, 214, 232), (222, 236, 240))
    street = int(height * 0.86)
    draw.rectangle((0, int(height * 0.12), width, street), fill=(176, 96, 72))
    for y in range(int(height * 0.12), street, 22 * s):  # brick courses
        draw.line([(0, y), (width, y)], fill=(160, 84, 62), width=2 * s)
    draw.rectangle((0, street, width, height), fill=(160, 164, 166))
    draw.rectangle((0, street, width, street + 18 * s), fill=(200, 202, 204))
    columns = 5
    pitch = width // columns
    for column in range(columns):
        x = column * pitch + pitch // 5
        for row, (top, bottom) in enumerate([(0.18, 0.40), (0.50, 0.80)]):
            if row == 1 and column == 2:
                continue  # the door
            y0, y1 = int(height * top), int(height * bottom)
            draw.rectangle(
                (x - 8 * s, y0 - 8 * s, x + pitch * 3 // 5 + 8 * s, y1 + 8 * s),
                fill=(238, 232, 222),
            )
            _vertical_gradient(
                draw, (x, y0, x + pitch * 3 // 5, y1), (160, 196, 210), (210, 228, 232)
            )
            draw.line(
                [(x + pitch * 3 // 10, y0), (x + pitch * 3 // 10, y1)],
                fill=(238, 232, 222),
                width=6 * s,
            )
    # The door under a teal awning.
    dx0, dx1 = 2 * pitch + pitch // 6, 3 * pitch - pitch // 6
    dy0 = int(height * 0.52)
    draw.rectangle((dx0, dy0, dx1, street), fill=(8, 82, 74))
    draw.rectangle(
        (dx0 + 22 * s, dy0 + 22 * s, dx1 - 22 * s, street - 30 * s), fill=(150, 196, 200)
    )
    draw.line(
        [((dx0 + dx1) // 2, dy0 + 22 * s), ((dx0 + dx1) // 2, street - 30 * s)],
        fill=(8, 82, 74),
        width=8 * s,
    )
    ay = int(height * 0.46)
    draw.polygon(
        [
            (dx0 - 70 * s, ay),
            (dx1 + 70 * s, ay),
            (dx1 + 40 * s, dy0 - 4 * s),
            (dx0 - 40 * s, dy0 - 4 * s),
        ],
        fill=(11, 110, 99),
    )
    for x in range(dx0 - 70 * s, dx1 + 70 * s, 48 * s):
        draw.pieslice((x, dy0 - 30 * s, x + 48 * s, dy0 + 18 * s), 0, 180, fill=(11, 110, 99))
    # Planters either side of the door.
    for x in (dx0 - 150 * s, dx1 + 40 * s):
        draw.rectangle((x, street - 70 * s, x + 110 * s, street), fill=(90, 96, 100))
        draw.ellipse(
            (x - 20 * s, street - 190 * s, x + 130 * s, street - 50 * s), fill=(84, 140, 92)
        )
    return _jpeg(image, size)


# (background, shirt, skin, hair, hair style) for each portrait.
PORTRAITS = [
    ((222, 236, 231), (11, 110, 99), (141, 94, 66), (34, 26, 22), "short"),
    ((238, 230, 218), (62, 88, 132), (226, 186, 156), (120, 78, 44), "side"),
    ((230, 228, 240), (166, 64, 44), (244, 208, 180), (214, 176, 110), "long"),
    ((226, 234, 240), (70, 72, 80), (198, 146, 108), (52, 40, 34), "bun"),
]


@functools.cache
def portrait_jpeg(number, size=(640, 640)):
    """A friendly head-and-shoulders drawing in one of a few looks."""
    background, shirt, skin, hair, style = PORTRAITS[number % len(PORTRAITS)]
    image, draw, s = _canvas(size, background)
    width, height = image.size
    cx = width // 2
    light = tuple(min(255, c + 14) for c in background)
    draw.ellipse((-width // 4, height // 2, width * 5 // 4, height * 2), fill=light)
    head_w, head_h = int(width * 0.30), int(height * 0.38)
    head_top = int(height * 0.2)
    if style == "long":  # hair falling behind the shoulders
        draw.rounded_rectangle(
            (cx - head_w * 0.62, head_top, cx + head_w * 0.62, head_top + head_h * 1.5),
            radius=head_w // 2,
            fill=hair,
        )
    draw.rounded_rectangle(
        (cx - width * 0.36, height * 0.74, cx + width * 0.36, height * 1.2),
        radius=int(width * 0.18),
        fill=shirt,
    )
    draw.rectangle(
        (cx - width * 0.07, head_top + head_h * 0.8, cx + width * 0.07, height * 0.78), fill=skin
    )
    draw.polygon(
        [
            (cx - width * 0.09, height * 0.74),
            (cx + width * 0.09, height * 0.74),
            (cx, height * 0.84),
        ],
        fill=skin,
    )
    draw.ellipse((cx - head_w // 2, head_top, cx + head_w // 2, head_top + head_h), fill=skin)
    draw.ellipse(
        (
            cx - head_w * 0.58,
            head_top + head_h * 0.42,
            cx - head_w * 0.38,
            head_top + head_h * 0.62,
        ),
        fill=skin,
    )
    draw.ellipse(
        (
            cx + head_w * 0.38,
            head_top + head_h * 0.42,
            cx + head_w * 0.58,
            head_top + head_h * 0.62,
        ),
        fill=skin,
    )
    cap = (
        cx - head_w * 0.54,
        head_top - head_h * 0.08,
        cx + head_w * 0.54,
        head_top + head_h * 0.55,
    )
    if style == "side":
        draw.pieslice(cap, 180, 360, fill=hair)
        draw.polygon(
            [
                (cx - head_w * 0.54, head_top + head_h * 0.25),
                (cx + head_w * 0.2, head_top + head_h * 0.05),
                (cx - head_w * 0.5, head_top + head_h * 0.42),
            ],
            fill=hair,
        )
    elif style == "bun":
        draw.pieslice(cap, 180, 360, fill=hair)
        draw.ellipse(
            (
                cx - head_w * 0.22,
                head_top - head_h * 0.28,
                cx + head_w * 0.22,
                head_top + head_h * 0.08,
            ),
            fill=hair,
        )
    else:
        draw.pieslice(cap, 175, 365, fill=hair)
    eye_y = head_top + head_h * 0.52
    for side in (-1, 1):
        ex = cx + side * head_w * 0.18
        draw.ellipse((ex - 7 * s, eye_y - 7 * s, ex + 7 * s, eye_y + 7 * s), fill=(40, 34, 30))
    draw.arc(
        (
            cx - head_w * 0.18,
            head_top + head_h * 0.58,
            cx + head_w * 0.18,
            head_top + head_h * 0.80,
        ),
        20,
        160,
        fill=(120, 56, 50),
        width=5 * s,
    )
    draw.polygon(
        [
            (cx - width * 0.12, height * 0.74),
            (cx, height * 0.86),
            (cx - width * 0.03, height * 0.9),
        ],
        fill="white",
    )
    draw.polygon(
        [
            (cx + width * 0.12, height * 0.74),
            (cx, height * 0.86),
            (cx + width * 0.03, height * 0.9),
        ],
        fill="white",
    )
    return _jpeg(image, size)
