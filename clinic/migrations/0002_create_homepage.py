from django.db import migrations


def create_homepage(apps, schema_editor):
    """Replace Wagtail's welcome page with the clinic's HomePage as the site root."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("clinic.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="clinic")
    home = HomePage.objects.create(
        title="Home",
        draft_title="Home",
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        live=True,
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("clinic.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
