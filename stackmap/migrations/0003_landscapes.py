"""Landscapes as landscape2 names them: several landscape files (the foundation's own and
others' as external), LandscapeEntry renamed LandscapeItem, the file kept for export, events
for items that leave or are renamed. Rows of the one landscape imported before belong to a
landscape named "Landscape" (rename it in the admin)."""

import django.db.models.deletion
import mwi.lib.validators
from django.db import migrations, models


def adopt_existing_categories(apps, schema_editor):
    Landscape = apps.get_model("stackmap", "Landscape")
    LandscapeCategory = apps.get_model("stackmap", "LandscapeCategory")
    LandscapeItem = apps.get_model("stackmap", "LandscapeItem")
    if LandscapeCategory.objects.exists():
        own = Landscape.objects.create(name="Landscape", external=False)
        LandscapeCategory.objects.update(landscape=own)
    for item in LandscapeItem.objects.all():
        item.original = item.item
        item.save(update_fields=["original"])


class Migration(migrations.Migration):
    dependencies = [
        ("stackmap", "0002_http_urls_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="Landscape",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text='The foundation whose landscape it is ("CNCF").', max_length=200, unique=True)),
                ("external", models.BooleanField(default=False, help_text="Another foundation's landscape: its projects are not hosted here.")),
                ("source", models.TextField(blank=True, editable=False, help_text="The file as last imported (exports start from it).")),
                ("source_url", models.URLField(blank=True, max_length=500, validators=[mwi.lib.validators.validate_http_url], verbose_name="source link")),
                ("imported", models.DateField(blank=True, help_text="Date of the last import.", null=True)),
            ],
            options={"ordering": ["external", "name"]},
        ),
        migrations.AddConstraint(
            model_name="landscape",
            constraint=models.UniqueConstraint(condition=models.Q(("external", False)), fields=("external",), name="landscape_one_own"),
        ),
        migrations.RemoveConstraint(model_name="landscapeentry", name="landscapeentry_unique_name"),
        migrations.RenameModel(old_name="LandscapeEntry", new_name="LandscapeItem"),
        migrations.AlterModelOptions(name="landscapeitem", options={"ordering": ["subcategory", "order"]}),
        migrations.AlterField(
            model_name="landscapeitem",
            name="subcategory",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="items", to="stackmap.landscapesubcategory"),
        ),
        migrations.AlterField(
            model_name="landscapeitem",
            name="project",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="landscape_items", to="stackmap.project"),
        ),
        migrations.AlterField(model_name="landscapeitem", name="name", field=models.CharField(max_length=200)),
        migrations.AlterField(
            model_name="landscapeitem",
            name="item",
            field=models.JSONField(blank=True, default=dict, help_text="The item's keys and values (text as written)."),
        ),
        migrations.AddField(
            model_name="landscapeitem",
            name="second_path",
            field=models.BooleanField(default=False, help_text="Listed here by another item's second_path."),
        ),
        migrations.AddField(
            model_name="landscapeitem",
            name="original",
            field=models.JSONField(blank=True, editable=False, help_text="The item as last imported; the export rewrites only what differs from it.", null=True),
        ),
        migrations.AddIndex(model_name="landscapeitem", index=models.Index(fields=["name"], name="landscapeitem_name")),
        migrations.AddConstraint(
            model_name="landscapeitem",
            constraint=models.UniqueConstraint(fields=("subcategory", "name"), name="landscapeitem_unique_name"),
        ),
        migrations.AlterModelOptions(
            name="landscapecategory",
            options={"ordering": ["landscape", "order"], "verbose_name_plural": "landscape categories"},
        ),
        migrations.AlterField(model_name="landscapecategory", name="name", field=models.CharField(max_length=200)),
        migrations.AddField(
            model_name="landscapecategory",
            name="landscape",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="categories", to="stackmap.landscape"),
        ),
        migrations.RunPython(adopt_existing_categories, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="landscapecategory",
            name="landscape",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="categories", to="stackmap.landscape"),
        ),
        migrations.AddConstraint(
            model_name="landscapecategory",
            constraint=models.UniqueConstraint(fields=("landscape", "name"), name="landscapecategory_unique_name"),
        ),
        migrations.CreateModel(
            name="LandscapeEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("left", "Left the landscape"), ("renamed", "Renamed on the landscape")], max_length=10)),
                ("date", models.DateField(help_text="The import that found it.")),
                ("name", models.CharField(help_text="The item's name (the new one if renamed).", max_length=200)),
                ("old_name", models.CharField(blank=True, max_length=200)),
                ("path", models.CharField(blank=True, help_text='"Category / Subcategory".', max_length=401)),
                ("landscape", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="events", to="stackmap.landscape")),
                ("project", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="landscape_events", to="stackmap.project")),
            ],
            options={
                "ordering": ["project", "date", "pk"],
                "constraints": [models.CheckConstraint(condition=models.Q(("kind__in", ["left", "renamed"])), name="landscapeevent_kind_valid")],
            },
        ),
    ]
