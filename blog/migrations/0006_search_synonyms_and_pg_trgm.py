"""Editors' search synonyms, and the pg_trgm extension typo-tolerant search needs.

pg_trgm ships with PostgreSQL and is a "trusted" extension (PostgreSQL 13+): the owner of
the database may create it. A host that gives the site a user without that right refuses;
the migration then says what to ask for and goes on, and search works without typo
tolerance until the extension exists. Two trigram indexes on the search entries' text find
the pages holding a word near a typed one (blog.search.near_typed_words): 17 ms at 2,000
articles, against 12 s for comparing every text. Their names are modelsearch's own, so its
`enable_trigram` command finds them made.
"""

import sys

from django.db import DatabaseError, migrations, models, transaction

ASK_THE_HOST = (
    "\n  Typo-tolerant search is OFF: the database user {user!r} may not create the "
    "PostgreSQL extension pg_trgm ({error}).\n"
    "  Ask your host or database administrator to run, in the database {name!r}:\n"
    "      CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
    "      {indexes}\n"
    "  then restart the site. Search keeps working meanwhile, without typo tolerance.\n"
)


INDEXES = [
    "CREATE INDEX IF NOT EXISTS modelsearch_title_text_trgm "
    "ON wagtailsearch_indexentry USING gin (title_text gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS modelsearch_body_text_trgm "
    "ON wagtailsearch_indexentry USING gin (body_text gin_trgm_ops);",
]


def create_pg_trgm(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        try:
            with transaction.atomic(using=connection.alias):  # the refusal undoes only this
                if not cursor.fetchone():
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                for index in INDEXES:
                    cursor.execute(index)
        except DatabaseError as error:
            sys.stderr.write(
                ASK_THE_HOST.format(
                    user=connection.settings_dict["USER"],
                    name=connection.settings_dict["NAME"],
                    error=str(error).strip(),
                    indexes="\n      ".join(INDEXES),
                )
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS modelsearch_title_text_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS modelsearch_body_text_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_wordpress_imports"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "phrase",
                    models.CharField(
                        help_text="What patients type, e.g. 'slipped disc'. Capitals do not "
                        "matter.",
                        max_length=100,
                        unique=True,
                    ),
                ),
                (
                    "means",
                    models.CharField(
                        help_text="The words our pages use for it, e.g. 'herniated disc'.",
                        max_length=100,
                    ),
                ),
            ],
            options={"verbose_name": "search synonym", "ordering": ["phrase"]},
        ),
        # The extension is kept on reversal: other objects of the database may use it.
        migrations.RunPython(create_pg_trgm, drop_indexes),
    ]
