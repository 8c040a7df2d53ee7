"""Data that a whole test module shares: built once, each test on top of it in its own
transaction, everything rolled back when the module ends.

    @pytest.fixture(scope="module")
    def dataset_module(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker):
            yield build_the_data()

A test that asks for such a fixture must also ask for `db` (its changes are then undone for
the next test). tests/conftest.py runs the tests of a module that do not use the shared data
first, so they still start from an empty database.
"""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def built_once(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def uses_shared_data(item):
    """Whether a collected test asks (directly or not) for a module-scoped database fixture."""
    definitions = getattr(item, "_fixtureinfo", None)
    if definitions is None:
        return False
    return any(
        fixturedef.scope == "module" and "django_db_blocker" in fixturedef.argnames
        for fixturedefs in definitions.name2fixturedefs.values()
        for fixturedef in fixturedefs
    )
