"""Our migrations run back to an empty schema and forward again, on SQLite and PostgreSQL.

Only our apps' migrations go back and forth (Django's and the libraries' own are theirs to
test), each way in one plan, so the project state is built once a direction.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OUR_APPS = ["participants", "meetings", "stackmap"]


def _tables():
    return set(connection.introspection.table_names())


def _ours(tables):
    return {t for t in tables if t.startswith(tuple(f"{app}_" for app in OUR_APPS))}


@pytest.mark.django_db(transaction=True)
def test_our_migrations_run_back_to_zero_and_forward_again():
    executor = MigrationExecutor(connection)
    try:
        # As a lead would roll back a release: every migration of ours reversed, in one plan.
        executor.migrate([(app, None) for app in OUR_APPS])
        assert _ours(_tables()) == set()
        assert "auth_user" in _tables()  # what is not ours stays
    finally:
        call_command("migrate", verbosity=0)
    assert {"participants_person", "meetings_meeting", "meetings_historicalmeeting"} <= _tables()
    executor.loader.build_graph()
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
