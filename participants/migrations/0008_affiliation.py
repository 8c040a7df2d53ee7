import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

import mwi.lib.dated


def affiliations_from_organizations(apps, schema_editor):
    """Each person's one organization becomes an affiliation known with no start or end."""
    Person = apps.get_model("participants", "Person")
    Affiliation = apps.get_model("participants", "Affiliation")
    Affiliation.objects.bulk_create(
        Affiliation(person_id=person_id, organization_id=organization_id)
        for person_id, organization_id in Person.objects.filter(
            organization__isnull=False
        ).values_list("pk", "organization_id")
    )


def organizations_from_affiliations(apps, schema_editor):
    """Backwards: the affiliation that holds today (else the latest) is the organization."""
    Person = apps.get_model("participants", "Person")
    Affiliation = apps.get_model("participants", "Affiliation")
    for affiliation in Affiliation.objects.order_by(
        "person_id", models.F("end").asc(nulls_last=True)
    ):
        Person.objects.filter(pk=affiliation.person_id).update(
            organization_id=affiliation.organization_id
        )


class Migration(migrations.Migration):
    """A person's organization becomes a dated history (participants.Affiliation); the one
    organization each person had is kept as an affiliation with no dates. On PostgreSQL the
    btree_gist extension lets one constraint keep a person's affiliations from overlapping."""

    dependencies = [
        ('participants', '0007_committee_calendar_version_removed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.CreateModel(
            name='HistoricalAffiliation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('start', models.DateField(blank=True, help_text='First day; empty when known but not since when.', null=True)),
                ('end', models.DateField(blank=True, help_text='The day it ended (not included); empty while current.', null=True)),
                ('note', models.CharField(blank=True, help_text='Where this is known from, e.g. a wiki table.', max_length=300)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='participants.organization')),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='participants.person')),
            ],
            options={
                'verbose_name': 'historical affiliation',
                'verbose_name_plural': 'historical affiliations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Affiliation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.DateField(blank=True, help_text='First day; empty when known but not since when.', null=True)),
                ('end', models.DateField(blank=True, help_text='The day it ended (not included); empty while current.', null=True)),
                ('note', models.CharField(blank=True, help_text='Where this is known from, e.g. a wiki table.', max_length=300)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='affiliations', to='participants.organization')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='affiliations', to='participants.person')),
            ],
            options={
                'ordering': ['person', models.OrderBy(models.F('start'), nulls_first=True)],
                'constraints': [models.CheckConstraint(condition=models.Q(('end__isnull', True), ('start__isnull', True), ('end__gt', models.F('start')), _connector='OR'), name='affiliation_end_after_start', violation_error_message='The end must come after the start.'), mwi.lib.dated.SpansDoNotOverlap(key='person', name='affiliation_no_overlap', violation_error_message='This person has another affiliation on some of these days: end one before the next starts.')],
            },
            bases=(mwi.lib.dated.Dated, models.Model),
        ),
        migrations.RunPython(affiliations_from_organizations, organizations_from_affiliations),
        migrations.RemoveField(
            model_name='historicalperson',
            name='organization',
        ),
        migrations.RemoveField(
            model_name='person',
            name='organization',
        ),
    ]
