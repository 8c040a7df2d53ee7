"""The full-text search document of a meeting: stored in Meeting.search_document, GIN-indexed.

The document is stored, not computed per search: ranking a common query ("federated
learning" matches a third of 10,000 meetings) from an expression index still re-tokenized
every match's minutes (0.9 s); with the stored tsvector the same search ranks in milliseconds.
It is written with the text it is made of: by Meeting.save() (the admin, the importer,
scripts), and by fill_search_documents() after bulk inserts that bypass save().
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import connections
from django.db.backends.ddl_references import Statement
from django.db.models import Value

# Minutes are written in English; the "english" configuration stems ("meetings" ~ "meeting").
SEARCH_CONFIG = "english"
# What the document is made of, and each part's weight: a word in the title ranks above the
# same word in the agenda, which ranks above the minutes. Weights A and B are the public part
# of a meeting whose minutes are not published (meetings.search filters on them).
WEIGHTS = (("title", "A"), ("agenda", "B"), ("minutes", "C"))
PUBLIC_WEIGHTS = "{a,b}"
TEXT_FIELDS = frozenset(field for field, _ in WEIGHTS)


def meeting_search_vector():
    """The document from the row's own columns (for an UPDATE over rows already written)."""
    parts = [SearchVector(field, weight=weight, config=SEARCH_CONFIG) for field, weight in WEIGHTS]
    return parts[0] + parts[1] + parts[2]


def search_document_of(meeting, using):
    """The document of `meeting`'s current text, for save() to write with it; None (left
    empty) on databases without full-text search.

    Built from the values, not the columns: in an UPDATE, columns hold the old text.
    """
    if connections[using].vendor != "postgresql":
        return None
    parts = [
        SearchVector(Value(getattr(meeting, field) or ""), weight=weight, config=SEARCH_CONFIG)
        for field, weight in WEIGHTS
    ]
    return parts[0] + parts[1] + parts[2]


def fill_search_documents(queryset):
    """Write the document of every meeting in `queryset` that has none (after bulk_create,
    which skips save()). One UPDATE; nothing to do without PostgreSQL. Returns rows written."""
    if connections[queryset.db].vendor != "postgresql":
        return 0
    return queryset.filter(search_document__isnull=True).update(
        search_document=meeting_search_vector()
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
