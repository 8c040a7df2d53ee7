from django.db import migrations

# participants.access.FOUNDATION_STAFF_GROUP, written out: a migration keeps the value it had.
GROUP = "Foundation staff"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


class Migration(migrations.Migration):
    """The group whose members manage every committee (participants.access), ready to fill."""

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("participants", "0004_committee_agenda_template"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
