"""The full-text search document of a meeting and the GIN index that serves it on PostgreSQL."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db.backends.ddl_references import Statement

# Minutes are written in English; the "english" configuration stems ("meetings" ~ "meeting").
SEARCH_CONFIG = "english"


def meeting_search_vector():
    """Title (weight A), agenda (B) and minutes (C) as one tsvector.

    meetings.search queries with exactly this expression, so PostgreSQL answers it from the
    functional GIN index below instead of reading every row.
    """
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("agenda", weight="B", config=SEARCH_CONFIG)
        + SearchVector("minutes", weight="C", config=SEARCH_CONFIG)
    )


class PostgresOnlyGinIndex(GinIndex):
    """A GIN index on PostgreSQL; a no-op statement on other databases.

    SQLite (development, tests) has neither GIN nor tsvector; its search falls back to
    substring matching (meetings.search), so it needs no index. Declaring the index in the
    model keeps it in generated migrations, which run unchanged on both databases.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("SELECT 1")
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("SELECT 1")
        return super().remove_sql(model, schema_editor, **kwargs)
