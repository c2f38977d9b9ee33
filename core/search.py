"""Search backends: the SQL that matches parsed queries on PostgreSQL and SQLite.

Both backends index the same terms (core.text) and give the same answers:

- full text: every query word must match one of its forms (lemmas, stem, itself);
  PostgreSQL uses a tsvector with a GIN index, SQLite an FTS5 table;
- misspellings (when a query word is not in the Ukrainian dictionary): every
  query word of 3+ letters must be close to some word of the names, closeness
  being pg_trgm's trigram similarity of the two words. PostgreSQL finds
  candidates through a pg_trgm GIN index, SQLite through an FTS5 trigram table;
  both then compute the same score with a function named
  `mist_word_score(word, names)` (SQL on PostgreSQL, Python on SQLite).

This module knows nothing of any model; directory.search applies it to organizations.
"""

from collections.abc import Sequence

from django.db.backends.signals import connection_created
from django.db.models import Expression, F, Q, QuerySet
from django.dispatch import receiver

from core import text

# A query word matches a name word this close (pg_trgm similarity, 0..1).
FUZZY_THRESHOLD = 0.4
# pg_trgm's index finds candidates by word_similarity, which is never below the
# similarity of the closest single word, so this looser bound loses no match.
PG_CANDIDATE_THRESHOLD = 0.3
# SQLite keeps at most this many trigram candidates per word, best first.
SQLITE_CANDIDATES = 2000


class ColumnSQL(Expression):
    """SQL in which {name} stands for a column of the queryset's own table.

    Unlike RawSQL, the columns follow the table's alias, so the expression still
    works when the queryset becomes a subquery. {table} is that alias, for columns
    the model does not declare (PostgreSQL's generated search_vector).
    """

    def __init__(self, template: str, params: Sequence, *, columns, output_field):
        super().__init__(output_field=output_field)
        self.template = template
        self.params = list(params)
        self.names = list(columns)
        self.columns = [F(name) for name in columns]

    def __repr__(self):
        return f"{self.__class__.__name__}({self.template!r}, {self.params!r})"

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        clone.is_summary = summarize
        clone.columns = [
            column.resolve_expression(query, allow_joins, reuse, summarize, for_save)
            for column in self.columns
        ]
        return clone

    def as_sql(self, compiler, connection):
        parts = {}
        for name, column in zip(self.names, self.columns, strict=True):
            parts[name], _ = compiler.compile(column)
        parts["table"] = compiler.quote_name_unless_alias(self.columns[0].alias)
        return "(" + self.template.format(**parts) + ")", list(self.params)


def tsquery(words: Sequence[text.QueryWord], weight: str = "") -> str:
    """to_tsquery text: words AND-ed, each the OR of its forms.

    `weight` ("A") restricts every term to the part of the tsvector of that weight.
    Every form is letters and digits only (core.text), so quoting cannot break out.
    """
    groups = []
    for word in words:
        forms = [f"'{form}'" + (f":{weight}" if weight else "") for form in word.forms]
        if word.prefix:
            forms.append(f"'{word.word}':*{weight}")
        groups.append("(" + " | ".join(forms) + ")")
    return " & ".join(groups)


def fts5_query(words: Sequence[text.QueryWord], column: str = "") -> str:
    """FTS5 MATCH text with the same meaning as tsquery(), in `column` if given."""
    groups = []
    for word in words:
        forms = [f'"{form}"' for form in word.forms]
        if word.prefix:
            forms.append(f'"{word.word}"*')
        groups.append("(" + " OR ".join(forms) + ")")
    expression = " AND ".join(groups)
    return f"{column} : ({expression})" if column else expression


def fts5_trigram_query(word: str) -> str:
    """FTS5 MATCH text for a trigram table: any trigram of `word`."""
    grams = dict.fromkeys(word[i : i + 3] for i in range(len(word) - 2))
    return " OR ".join(f'"{gram}"' for gram in grams)


def fuzzy_words(words: Sequence[text.QueryWord]) -> list[str]:
    """The query words misspelling matching needs (3+ letters), or none at all.

    Only a query with a word the Ukrainian dictionary does not know (a Latin word,
    a name, a misspelling) is matched against names by trigrams: a query of
    dictionary words has meant what it says, and skipping the trigram index
    then saves most of the cost of a broad query.
    """
    long_words = [word.word for word in words if len(word.word) >= 3]
    if all(text.is_dictionary_word(word) for word in long_words):
        return []
    return long_words


def _sqlite_word_score(word, names):
    try:
        return text.best_word_similarity(word or "", names or "")
    except Exception:  # an exception inside SQLite surfaces as an opaque error
        return 0.0


@receiver(connection_created, dispatch_uid="core.search.prepare_connection")
def prepare_connection(sender, connection, **kwargs):
    """Give each new connection what the fuzzy search needs."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "mist_word_score", 2, _sqlite_word_score, deterministic=True
        )
    elif connection.vendor == "postgresql":
        # The pg_trgm index finds candidates by this threshold (default 0.6).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(PG_CANDIDATE_THRESHOLD)],
            )


def filter_by_terms(queryset: QuerySet, query: str, field: str = "match_terms"):
    """Rows whose `field` (space-separated core.text terms) holds every query word
    in one of its forms (any inflection or language), or starts with a word typed
    as a prefix; none for a query with no words but other characters."""
    words = text.parse_query(query)
    if not words:
        return queryset.none() if query.strip() else queryset
    for word in words:
        condition = Q()
        for form in word.forms:
            condition |= Q(**{f"{field}__regex": rf"(^| ){form}( |$)"})
        if word.prefix:
            condition |= Q(**{f"{field}__regex": rf"(^| ){word.word}"})
        queryset = queryset.filter(condition)
    return queryset
