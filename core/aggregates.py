"""Aggregates the ORM lacks on both of our databases."""

from django.db.models import Aggregate, JSONField


class JSONList(Aggregate):
    """The grouped rows' values as one JSON array, read back as a Python list:
    JSON_GROUP_ARRAY on SQLite, JSONB_AGG on PostgreSQL.

    Used in a correlated subquery, it brings a short list of related rows (a
    submission's tags or documents) in the same query as the row itself, one
    round trip instead of two. The order of the items is not defined."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)
