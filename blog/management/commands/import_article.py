"""manage.py import_article FILE --index <slug>: a Markdown or text file becomes a draft post."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from blog.importing import ArticleImportError, create_draft, parse_article
from blog.models import BlogIndexPage


class Command(BaseCommand):
    help = (
        "Create a draft article from a Markdown or plain-text file under the article index "
        "with the given slug. See blog/importing.py for how the text is read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .md or .txt file (UTF-8).")
        parser.add_argument("--index", required=True, help="Slug of the article index, e.g. blog.")
        parser.add_argument("--slug", help="Address of the new article (default: from the title).")
        parser.add_argument(
            "--author", action="append", default=[], help="A therapist's name; repeatable."
        )

    def handle(self, *args, file, index, slug, author, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        blog_index = BlogIndexPage.objects.filter(slug=index).first()
        if blog_index is None:
            known = ", ".join(BlogIndexPage.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No article index has the slug {index!r} (known: {known}).")
        try:
            article = parse_article(text)
            article.authors = author or article.authors
            with transaction.atomic():
                post = create_draft(article, blog_index, slug=slug)
        except ArticleImportError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(
            self.style.SUCCESS(
                f"Created the draft {post.title!r} (page {post.pk}) at {post.url_path}"
            )
        )
        self.stdout.write(
            f"{len(article.body)} blocks: {article.count('heading')} headings, "
            f"{article.count('advice')} advice callouts, {article.count('paragraph')} text, "
            f"{article.count('related_posts')} related articles, "
            f"{article.count('cta')} call to action."
        )
        for note in article.notes:
            self.stdout.write(f"- {note}")
