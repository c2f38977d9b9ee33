"""One source for "who acts for which organizations".

`accounts.queries` answers the question both ways: `edited_organization_ids(user)`
(the organizations a person edits, read once per request) and
`editor_memberships(organization_ids)` (the people who edit an organization).
Every visibility query and permission predicate is built on them, so the rule
changes in one place. This test reads the project's Python source and fails
when another module decides who edits by looking at `Membership.is_editor`
itself. Outside `accounts/queries.py`, production code may not:

- pass a keyword `is_editor` or `<relation>__is_editor` to any call but a write:
  `Membership(...)`, `create`, `get_or_create`, `update_or_create`, `update`
  (so `Membership.objects.filter(user=u, is_editor=True)`,
  `user.memberships.filter(is_editor=True)`, `Q(memberships__is_editor=True)`
  are out, `Membership.objects.create(..., is_editor=True)` is fine);
- name a lookup through a relation, a string containing `__is_editor`
  (`filter(**{"memberships__is_editor": True})`, `F(...)`, `Prefetch` ...);
- filter memberships in Python: read `.is_editor` in a comprehension's `if`
  or in a lambda.

Reading the field for other purposes stays allowed: the model's field
definition, `defaults={"is_editor": True}` in a write, an `if` on a membership
being written, exporting or listing the field (`"is_editor"` in personal data,
the admin), ordering (`order_by("-is_editor")`). Tests, migrations, bench/ and
installed packages are not scanned.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRECTORIES = {".venv", "node_modules", "tests", "bench", "migrations", "var"}
THE_ONE_SOURCE = Path("accounts/queries.py")
WRITES = {"Membership", "create", "get_or_create", "update_or_create", "update"}


def _called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return ""


def _names_is_editor(name: str | None) -> bool:
    return name is not None and (
        name == "is_editor" or name.startswith("is_editor__") or "__is_editor" in name
    )


def _reads_is_editor(node: ast.AST) -> bool:
    return any(
        isinstance(child, ast.Attribute) and child.attr == "is_editor"
        for child in ast.walk(node)
    )


def editor_filters(source: str) -> list[int]:
    """Line numbers where `source` decides who edits from `is_editor` itself."""
    lines = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _called_name(node) not in WRITES:
            lines.update(
                node.lineno for kw in node.keywords if _names_is_editor(kw.arg)
            )
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "__is_editor" in node.value
        ):
            lines.add(node.lineno)
        elif isinstance(node, ast.comprehension):
            lines.update(
                condition.lineno
                for condition in node.ifs
                if _reads_is_editor(condition)
            )
        elif isinstance(node, ast.Lambda) and _reads_is_editor(node.body):
            lines.add(node.lineno)
    return sorted(lines)


def production_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if not SKIPPED_DIRECTORIES & set(relative.parts):
            yield relative, path.read_text(encoding="utf-8")


def test_only_accounts_queries_filters_memberships_by_is_editor():
    offences = [
        f"{relative}:{line}"
        for relative, source in production_modules()
        if relative != THE_ONE_SOURCE
        for line in editor_filters(source)
    ]

    assert offences == [], (
        "Ask accounts.queries.edited_organization_ids / editor_memberships "
        "instead of filtering on Membership.is_editor here"
    )


def test_the_scan_reads_the_one_source_itself():
    modules = dict(production_modules())

    assert THE_ONE_SOURCE in modules
    assert len(editor_filters(modules[THE_ONE_SOURCE])) == 2
    assert len(modules) > 100


def test_the_scan_finds_every_way_of_filtering():
    copies = """
Membership.objects.filter(user=user, is_editor=True)
user.memberships.filter(is_editor=True).exists()
organization.memberships.exclude(is_editor=False)
Organization.objects.filter(memberships__user=user, memberships__is_editor=True)
Q(event__organizer__memberships__is_editor=True)
Organization.objects.filter(**{"memberships__is_editor": True})
[m.user for m in organization.memberships.all() if m.is_editor]
filter(lambda membership: membership.is_editor, memberships)
"""

    assert editor_filters(copies) == [2, 3, 4, 5, 6, 7, 8, 9]


def test_the_scan_lets_writes_and_other_reads_pass():
    allowed = """
is_editor = models.BooleanField(default=True)
Membership.objects.create(user=user, organization=organization, is_editor=True)
Membership(user=user, organization=organization, is_editor=True)
Membership.objects.get_or_create(user=user, defaults={"is_editor": True})
organization.memberships.update(is_editor=False)
if not created and membership.is_editor:
    membership.save(update_fields=["is_editor"])
Membership.objects.filter(user=user).order_by("-is_editor", "pk")
export = ("organization", "is_editor", "title")
"""

    assert editor_filters(allowed) == []
