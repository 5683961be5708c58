"""The "Front desk" group: works appointment requests; editors get none of this."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Front desk"
PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "booking": [
        "view_appointmentrequest",
        "change_appointmentrequest",
        "delete_appointmentrequest",
        "view_guidelead",
        "change_guidelead",
        "view_notification",
        "view_spreadsheetexport",
    ],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codenames in PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
