"""Editors' search synonyms, and the pg_trgm extension typo-tolerant search needs.

pg_trgm ships with PostgreSQL and is a "trusted" extension (PostgreSQL 13+): the owner of
the database may create it. A host that gives the site a user without that right refuses;
the migration then says what to ask for and goes on, and search works without typo
tolerance until the extension exists. No trigram index is made: the fuzzy search compares
the typed words with every entry's text only when nothing matched them exactly, and an
index would not serve that similarity() call, only slow down every save.
"""

import sys

from django.db import DatabaseError, migrations, models, transaction

ASK_THE_HOST = (
    "\n  Typo-tolerant search is OFF: the database user {user!r} may not create the "
    "PostgreSQL extension pg_trgm ({error}).\n"
    "  Ask your host or database administrator to run, in the database {name!r}:\n"
    "      CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
    "  Search keeps working meanwhile, without typo tolerance; nothing else is needed "
    "afterwards.\n"
)


def create_pg_trgm(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return
        try:
            with transaction.atomic(using=connection.alias):  # the refusal undoes only this
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            sys.stderr.write(
                ASK_THE_HOST.format(
                    user=connection.settings_dict["USER"],
                    name=connection.settings_dict["NAME"],
                    error=str(error).strip(),
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_wordpress_imports"),
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
        # Kept on reversal: other databases' objects may use the extension.
        migrations.RunPython(create_pg_trgm, migrations.RunPython.noop),
    ]
