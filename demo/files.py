"""Files for the demo site, drawn locally: a small PDF guide and a logo (nothing downloaded)."""

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
