"""Directory search: the text an organization is found by, and matching a query.

An organization carries two derived columns, filled by Organization.save() and by
bulk importers through build_search_fields():

- search_document: two lines of terms (core.text), the names' terms, then the
  descriptions' terms. The database indexes it: PostgreSQL through a generated
  tsvector column `search_vector` (names weighted A, the rest D) with a GIN index;
  SQLite through the FTS5 table `directory_organization_fts` (columns names, body)
  that triggers keep in step with the table, so bulk_create needs no extra call.
- search_names: the words of the names (Ukrainian, English, transliteration),
  lower-cased, for misspelling-tolerant matching: a pg_trgm GIN index on
  PostgreSQL, the FTS5 trigram table `directory_organization_trgm` on SQLite.

Migration 0003 creates all of it; search_organizations() queries it.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models
from django.db.models import F
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from translitua import translit

from core import search, text

FTS_TABLE = "directory_organization_fts"
TRIGRAM_TABLE = "directory_organization_trgm"
TRIGGER_PREFIX = "directory_organization_search"


def build_search_fields(organization) -> tuple[str, str]:
    """(search_document, search_names) for an organization, computed from its fields."""
    name_uk = organization.name_uk or ""
    name_en = organization.name_en or ""
    latin = translit(name_uk) if name_uk else ""
    names = text.document_terms(name_uk, name_en, latin)
    body = text.document_terms(
        organization.description_uk,
        organization.description_en,
        getattr(organization, "locality", ""),
        # The EDRPOU code of a legal entity is public; the sole proprietor's
        # taxpayer number (rntrc) is personal data and is never indexed.
        getattr(organization, "edrpou", None) or "",
    )
    document = " ".join(names) + "\n" + " ".join(body)
    return document, " ".join(text.name_words(name_uk, name_en, latin))


def search_organizations(queryset: models.QuerySet, query: str) -> models.QuerySet:
    """`queryset` narrowed to organizations matching `query`, most relevant first.

    Full-text hits (every word, in any inflection) come first, those with more of
    the words in their names before the others; then, when the query has a word
    the dictionary does not know, organizations whose names are close to every
    word despite misspellings, closest first; ties by name. An empty query changes
    nothing; a query with no words in it matches nothing. The result is still a
    queryset: filter, count and slice it as usual; a later order_by() replaces
    relevance, which stays available as the alias "search_relevance".
    """
    if not query or not query.strip():
        return queryset
    words = text.parse_query(query)
    if not words:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        matches, relevance = _postgresql_parts(words)
    elif vendor == "sqlite":
        matches, relevance = _sqlite_parts(words)
    else:
        raise ImproperlyConfigured(
            f"Directory search supports PostgreSQL and SQLite, not {vendor}."
        )
    return (
        queryset.filter(matches)
        .alias(search_relevance=relevance)
        .order_by(F("search_relevance").desc(), "name_uk", "pk")
    )


# Relevance is one number, computed alike on both databases: for a full-text hit,
# 1 + the share of the query's words found in the names (so 2 when all are), else
# the misspelling score (0.4..1). Ties go by name. (ts_rank and bm25 would rank
# differently from each other, and bm25 per row costs SQLite a MATCH per row.)


def _sql(template, params, *columns, output_field=None):
    return search.ColumnSQL(
        template,
        params,
        columns=columns or ("id",),
        output_field=output_field or models.BooleanField(),
    )


def _postgresql_parts(words):
    match = "{table}.search_vector @@ to_tsquery('simple'::regconfig, %s)"
    fuzzy = [
        # `<%` finds candidates through the trigram index; the score decides.
        (
            "(%s <%% {search_names} AND mist_word_score(%s, {search_names}) >= %s)",
            [word, word, search.FUZZY_THRESHOLD],
        )
        for word in search.fuzzy_words(words)
    ]
    return _combine(
        words,
        match=match,
        query=search.tsquery(words),
        name_queries=[search.tsquery([word], weight="A") for word in words],
        fuzzy=fuzzy,
        divisor_suffix="",
    )


def _sqlite_parts(words):
    match = f"{{id}} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
    fuzzy = [
        # The trigram table yields candidates sharing trigrams; the score decides.
        (
            f"({{id}} IN (SELECT rowid FROM {TRIGRAM_TABLE} "
            f"WHERE {TRIGRAM_TABLE} MATCH %s ORDER BY rank "
            f"LIMIT {search.SQLITE_CANDIDATES}) "
            "AND mist_word_score(%s, {search_names}) >= %s)",
            [search.fts5_trigram_query(word), word, search.FUZZY_THRESHOLD],
        )
        for word in search.fuzzy_words(words)
    ]
    return _combine(
        words,
        match=match,
        query=search.fts5_query(words),
        name_queries=[search.fts5_query([word], column="names") for word in words],
        fuzzy=fuzzy,
        divisor_suffix=".0",  # SQLite divides integers as integers
    )


def _combine(words, *, match, query, name_queries, fuzzy, divisor_suffix):
    """The filter and the relevance score, the same on both databases.

    A full-text hit scores 1 plus the share of query words found in the names; a
    misspelling hit scores its mean closeness. `match` is the full-text condition
    with one placeholder; `fuzzy` holds (condition, params) per misspellable word.
    """
    # Each IN list / tsquery is computed once per statement, not once per row.
    in_names = " + ".join([f"CAST(({match}) AS INTEGER)"] * len(words))
    fuzzy_words = search.fuzzy_words(words)
    if fuzzy:
        conditions = " AND ".join(condition for condition, _params in fuzzy)
        params = [param for _condition, fuzzy_params in fuzzy for param in fuzzy_params]
        matches = _sql(
            f"{match} OR ({conditions})", [query, *params], "id", "search_names"
        )
        scores = " + ".join(["mist_word_score(%s, {search_names})"] * len(fuzzy))
        fuzzy_score = f"({scores}) / {len(fuzzy)}{divisor_suffix}"
    else:
        matches = _sql(match, [query], "id")
        fuzzy_score = "0"
    relevance = _sql(
        f"CASE WHEN {match} THEN 1 + CAST({in_names} AS REAL) / {len(words)} "
        f"ELSE {fuzzy_score} END",
        [query, *name_queries, *fuzzy_words],
        "id",
        "search_names",
        output_field=models.FloatField(),
    )
    return matches, relevance


# The index's SQL, applied by migration 0003 and repaired after every migrate.

_NAMES_SQLITE = (
    "CASE WHEN instr({row}.search_document, char(10)) > 0 "
    "THEN substr({row}.search_document, 1, instr({row}.search_document, char(10)) - 1) "
    "ELSE {row}.search_document END"
)
_BODY_SQLITE = (
    "CASE WHEN instr({row}.search_document, char(10)) > 0 "
    "THEN substr({row}.search_document, instr({row}.search_document, char(10)) + 1) "
    "ELSE '' END"
)


def _sqlite_index_values(row: str) -> str:
    return ", ".join(
        [
            f"{row}.id",
            _NAMES_SQLITE.format(row=row),
            _BODY_SQLITE.format(row=row),
        ]
    )


def _sqlite_triggers() -> list[str]:
    insert = (
        f"INSERT INTO {FTS_TABLE}(rowid, names, body) "
        f"VALUES ({_sqlite_index_values('new')}); "
        f"INSERT INTO {TRIGRAM_TABLE}(rowid, names) VALUES (new.id, new.search_names);"
    )
    # Contentless FTS5 tables forget a row when told exactly what was indexed.
    delete = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, names, body) "
        f"VALUES ('delete', {_sqlite_index_values('old')}); "
        f"INSERT INTO {TRIGRAM_TABLE}({TRIGRAM_TABLE}, rowid, names) "
        "VALUES ('delete', old.id, old.search_names);"
    )
    table = "directory_organization"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGER_PREFIX}_insert AFTER INSERT ON {table} "
        f"BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGER_PREFIX}_delete AFTER DELETE ON {table} "
        f"BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGER_PREFIX}_update "
        f"AFTER UPDATE OF id, search_document, search_names ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def _sqlite_fill() -> list[str]:
    return [
        f"INSERT INTO {FTS_TABLE}(rowid, names, body) "
        f"SELECT {_sqlite_index_values('o')} FROM directory_organization AS o",
        f"INSERT INTO {TRIGRAM_TABLE}(rowid, names) "
        "SELECT o.id, o.search_names FROM directory_organization AS o",
    ]


SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "names, body, content='', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE VIRTUAL TABLE {TRIGRAM_TABLE} USING fts5("
    "names, content='', tokenize='trigram')",
    *_sqlite_fill(),
    *_sqlite_triggers(),
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}_insert",
    f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}_delete",
    f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
    f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}",
]

POSTGRESQL_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Generated, so every insert (bulk_create, COPY, raw SQL) keeps it current.
    "ALTER TABLE directory_organization ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, "
    "split_part(search_document, E'\\n', 1)), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, "
    "split_part(search_document, E'\\n', 2)), 'D')) STORED",
    "CREATE INDEX directory_organization_search_vector ON directory_organization "
    "USING gin (search_vector)",
    "CREATE INDEX directory_organization_search_names_trgm ON directory_organization "
    "USING gin (search_names gin_trgm_ops)",
    # pg_trgm's selectivity estimate runs the operator over the column's histogram:
    # ~1.5 ms of planning per misspelling word, for estimates no plan needs.
    "ALTER TABLE directory_organization ALTER COLUMN search_names SET STATISTICS 0",
    # The closeness of a word to the nearest word of a name; mirrors the Python
    # function SQLite calls by the same name (core.search).
    "CREATE OR REPLACE FUNCTION mist_word_score(word text, names text) "
    "RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT coalesce(max(similarity(word, name)), 0)::double precision "
    "FROM unnest(string_to_array(names, ' ')) AS name $$",
]
POSTGRESQL_DROP = [
    "DROP FUNCTION IF EXISTS mist_word_score(text, text)",
    "DROP INDEX IF EXISTS directory_organization_search_names_trgm",
    "ALTER TABLE directory_organization ALTER COLUMN search_names SET STATISTICS -1",
    "DROP INDEX IF EXISTS directory_organization_search_vector",
    "ALTER TABLE directory_organization DROP COLUMN IF EXISTS search_vector",
    # pg_trgm stays: other things may use it, and dropping it needs more rights.
]


def create_index(schema_editor) -> None:
    """Create the search index for the database behind `schema_editor`."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}
    for statement in statements.get(vendor, []):
        schema_editor.execute(statement, params=None)


def drop_index(schema_editor) -> None:
    """Remove what create_index() made."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}
    for statement in statements.get(vendor, []):
        schema_editor.execute(statement, params=None)


def repair_sqlite_index(using: str = "default") -> bool:
    """Recreate the triggers (and refill the index) if a table rebuild dropped them.

    SQLite migrations that alter directory_organization rebuild the table, which
    drops its triggers. Returns True when a repair was needed.
    """
    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name IN (%s, %s, %s, %s, %s)",
            [
                FTS_TABLE,
                TRIGRAM_TABLE,
                f"{TRIGGER_PREFIX}_insert",
                f"{TRIGGER_PREFIX}_delete",
                f"{TRIGGER_PREFIX}_update",
            ],
        )
        found = {name for _type, name in cursor.fetchall()}
        if FTS_TABLE not in found or TRIGRAM_TABLE not in found or len(found) == 5:
            return False
        for statement in SQLITE_DROP[:3]:
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
        cursor.execute(
            f"INSERT INTO {TRIGRAM_TABLE}({TRIGRAM_TABLE}) VALUES ('delete-all')"
        )
        for statement in _sqlite_fill() + _sqlite_triggers():
            cursor.execute(statement)
    return True


@receiver(post_migrate, dispatch_uid="directory.search.repair_index")
def _repair_after_migrate(sender, using="default", **kwargs):
    if getattr(sender, "name", None) == "directory":
        repair_sqlite_index(using)
