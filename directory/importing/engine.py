"""The engine of the dry run and the apply (`ImportRun`).

It works in chunks of `CHUNK_SIZE` rows: the existing keys (EDRPOU, website domain,
taxpayer number), slugs and the vocabularies are loaded once, each chunk fetches the
organizations it matches in one query, and writes go in bulk: new organizations
through COPY on PostgreSQL (bulk_create elsewhere), changed ones through bulk_update,
the many-to-many links and the report rows as plain rows into their tables
(core.importing.bulk).

The per-row outcome is stored as one `ImportRow` per row (a few short columns, the
errors as codes with parameters so they render in the reader's language), which the
detail page paginates and filters; `ImportBatch.report` only keeps a summary.
"""

import itertools
import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from translitua import translit

from core.importing.bulk import Writer, insert_instances, insert_rows
from directory.importing.checking import RowPlan, Vocabulary, check_row, domain_of
from directory.importing.errors import error
from directory.importing.reading import Sheet, open_sheet
from directory.models import ImportBatch, ImportRow, Organization
from directory.search import build_search_fields
from directory.validators import validate_one_identifier

CHUNK_SIZE = 1000
# Fields compared one to one between a row and an existing organization.
PLAIN_FIELDS = (
    "name_uk",
    "name_en",
    "kind",
    "edrpou",
    "rntrc",
    "description_uk",
    "description_en",
    "website",
    "email",
    "phone",
    "country",
    "place",
    "locality",
    "size",
    "founded_year",
    "cluster_status",
    "cluster_member_since",
    "visibility",
)

ATTNAMES = {"place": "place_id"}
COMPARED = ("id", "version", "slug", *(ATTNAMES.get(f, f) for f in PLAIN_FIELDS))
IMPORT_ROW_COLUMNS = [
    "batch_id",
    "row",
    "action",
    "key_kind",
    "key",
    "name",
    "organization_id",
    "changes",
    "errors",
]


class ImportRun:
    """Checks (and, when `apply`, writes) every row of a batch's file, by chunks."""

    def __init__(
        self,
        batch: ImportBatch,
        *,
        apply: bool,
        user=None,
        chunk_size: int = CHUNK_SIZE,
        progress: Callable[[int], None] | None = None,
        on_chunk: Callable[[int], None] | None = None,
    ):
        self.batch = batch
        self.apply = apply
        self.user = user
        self.chunk_size = chunk_size
        self.progress = progress
        self.on_chunk = on_chunk
        self.counts = dict.fromkeys(ImportRow.Action.values, 0)
        self.processed = 0
        self.columns: list[str] = []
        self.ignored: list[str] = []
        self.now = timezone.now()
        self.sector_through = Organization.sectors.through
        self.tag_through = Organization.tags.through

    def _load_keys(self) -> None:
        self.vocabulary = Vocabulary()
        self.by_edrpou: dict[str, int] = {}
        self.by_domain: dict[str, int] = {}
        self.by_rntrc: dict[str, int] = {}
        self.with_identifier: set[int] = set()
        self.deleted: set[int] = set()
        self.slugs: set[str] = set()
        rows = Organization.objects.order_by("pk").values_list(
            "pk", "edrpou", "rntrc", "website", "slug", "deleted_at"
        )
        for pk, edrpou, rntrc, website, slug, deleted_at in rows.iterator(10000):
            self.slugs.add(slug)
            if deleted_at is not None:
                self.deleted.add(pk)
            if edrpou:
                self.by_edrpou[edrpou] = pk
                self.with_identifier.add(pk)
            if rntrc:
                self.by_rntrc[rntrc] = pk
                self.with_identifier.add(pk)
            if website and (domain := domain_of(website)):
                # Several organizations may share a domain: the oldest alive one is
                # the match.
                known = self.by_domain.get(domain)
                if known is None or (known in self.deleted and deleted_at is None):
                    self.by_domain[domain] = pk
        self.seen: dict[str, dict[str, int]] = {"edrpou": {}, "domain": {}, "rntrc": {}}
        self.matched: dict[int, int] = {}
        self.slug_counters: dict[str, int] = {}

    def run(self) -> None:
        self._load_keys()
        # The wrapper itself: the `connection` proxy would be another one there.
        self.writer = Writer(connections[DEFAULT_DB_ALIAS]) if self.apply else None
        try:
            with (
                self.batch.file.open("rb") as binary,
                open_sheet(binary, self.batch.original_name) as sheet,
            ):
                self.columns = list(sheet.columns.values())
                self.ignored = sheet.ignored
                while chunk := list(itertools.islice(sheet.rows, self.chunk_size)):
                    self._run_chunk(sheet, chunk)
        except BaseException:
            if self.writer:
                self.writer.stop()
                if self.writer.error is not None:
                    # The first failure, not what the aborted transaction said next.
                    raise self.writer.error from None
            raise
        if self.writer:
            self.writer.finish()

    def _wait_for_writes(self) -> None:
        """Before this thread uses the connection the Writer may be using."""
        if self.writer:
            self.writer.wait()

    def _run_chunk(self, sheet: Sheet, chunk: list) -> None:
        plans = [
            self._match(check_row(number, sheet.record(cells), self.vocabulary))
            for number, cells in chunk
        ]
        self._compare(plans)
        for plan in plans:
            self.counts[plan.action] += 1
        self.processed += len(chunk)
        if self.apply:
            self._write(plans)
            if self.progress:
                self.progress(self.processed)
        else:
            # The heartbeat locks the batch row first, so a restart waits for this
            # chunk, or this chunk sees the restart and writes nothing.
            with transaction.atomic():
                if self.progress:
                    self.progress(self.processed)
                self._record(plans, connection)
        if self.on_chunk:
            self._wait_for_writes()
            self.on_chunk(self.processed)

    def _match(self, plan: RowPlan) -> RowPlan:
        """Find the organization a row is about, and rows that repeat a key."""
        if not plan.key_kind:
            return plan
        identifiers = {
            "edrpou": plan.values.get("edrpou"),
            "domain": plan.domain,
            "rntrc": plan.values.get("rntrc"),
        }
        earlier = self.seen[plan.key_kind].get(plan.key)
        for kind, value in identifiers.items():
            if value:
                self.seen[kind].setdefault(value, plan.row)
        if earlier is not None:
            plan.errors.append(error("duplicate", row=earlier, key=plan.key_kind))
            return plan
        if plan.key_kind == "edrpou":
            pk = self.by_edrpou.get(plan.key)
            if pk is None and plan.domain:
                # The same organization entered earlier with its website only.
                candidate = self.by_domain.get(plan.domain)
                if candidate and candidate not in self.with_identifier:
                    pk = candidate
        elif plan.key_kind == "domain":
            pk = self.by_domain.get(plan.key)
        else:
            pk = self.by_rntrc.get(plan.key)
        if pk is None:
            return plan
        if pk in self.deleted:
            plan.errors.append(
                error("deleted_match", key=plan.key_kind, value=plan.key)
            )
            return plan
        if pk in self.matched:
            plan.errors.append(
                error("duplicate", row=self.matched[pk], key="organization")
            )
            return plan
        self.matched[pk] = plan.row
        plan.organization_id = pk
        return plan

    def _compare(self, plans: list[RowPlan]) -> None:
        """Decide each row's action; for updates, which fields change."""
        ids = [p.organization_id for p in plans if p.organization_id and not p.errors]
        if ids:
            self._wait_for_writes()
        # Plain values are compared; only updates become model instances below.
        existing = (
            {
                values["id"]: values
                for values in Organization.objects.filter(pk__in=ids).values(*COMPARED)
            }
            if ids
            else {}
        )
        sectors = self._links(self.sector_through, "sector_id", plans, ids, "sectors")
        tags = self._links(self.tag_through, "tag_id", plans, ids, "tags")
        for plan in plans:
            if plan.errors:
                plan.action = ImportRow.Action.REJECT
                continue
            if not plan.organization_id:
                if "kind" not in plan.values:
                    plan.errors.append(error("missing_kind"))
                    plan.action = ImportRow.Action.REJECT
                else:
                    # A partner abroad may have only an English name.
                    plan.values.setdefault("name_uk", plan.values.get("name_en", ""))
                    plan.action = ImportRow.Action.CREATE
                continue
            current = existing[plan.organization_id]
            try:
                validate_one_identifier(
                    plan.values.get("edrpou") or current["edrpou"],
                    plan.values.get("rntrc") or current["rntrc"],
                )
            except ValidationError:
                plan.errors.append(error("edrpou_and_rntrc"))
                plan.action = ImportRow.Action.REJECT
                continue
            for name, value in plan.values.items():
                if (current[ATTNAMES.get(name, name)] or None) != (value or None):
                    plan.changes.append(name)
            pk = plan.organization_id
            if plan.sectors is not None and plan.sectors != sectors.get(pk, set()):
                plan.changes.append("sectors")
            if plan.tags is not None and plan.tags != tags.get(pk, set()):
                plan.changes.append("tags")
            if plan.changes:
                # Everything build_search_fields() reads is among COMPARED.
                plan.instance = Organization(**current)
                plan.action = ImportRow.Action.UPDATE
            else:
                plan.action = ImportRow.Action.UNCHANGED

    def _links(self, through, column, plans, ids, attribute) -> dict[int, set[int]]:
        if not ids or not any(getattr(p, attribute) is not None for p in plans):
            return {}
        links: dict[int, set[int]] = {}
        for org_id, target in through.objects.filter(
            organization_id__in=ids
        ).values_list("organization_id", column):
            links.setdefault(org_id, set()).add(target)
        return links

    def _slug(self, values: dict) -> str:
        base = slugify(translit(values["name_uk"]))[:100].strip("-")
        base = base or slugify(values.get("name_en", ""))[:100].strip("-") or "org"
        slug = base
        number = self.slug_counters.get(base, 1)
        while slug in self.slugs:
            number += 1
            slug = f"{base}-{number}"
        self.slug_counters[base] = number
        self.slugs.add(slug)
        return slug

    def _write(self, plans: list[RowPlan]) -> None:
        creates = [p for p in plans if p.action == ImportRow.Action.CREATE]
        updates = [p for p in plans if p.action == ImportRow.Action.UPDATE]
        new_orgs = []
        for plan in creates:
            values = dict(plan.values)
            place = values.pop("place", None)
            org = Organization(
                **values,
                place_id=place,
                slug=self._slug(values),
                verification=Organization.Verification.VERIFIED,
                verified_at=self.now,
                verified_by=self.user if self.user and self.user.pk else None,
            )
            org.search_document, org.search_names = build_search_fields(org)
            new_orgs.append(org)
        self._write_updates(updates)

        def store(db) -> None:
            if new_orgs:
                insert_instances(Organization, new_orgs, now=self.now, db=db)
                for plan, org in zip(creates, new_orgs, strict=True):
                    plan.organization_id = org.pk
            self._write_links(self.sector_through, "sector_id", "sectors", creates, db)
            self._write_links(self.tag_through, "tag_id", "tags", creates, db)
            self._record(plans, db)

        self.writer.submit(store)

    def _write_updates(self, updates: list[RowPlan]) -> None:
        """Changed organizations, here and now (the next chunk may read them)."""
        if not updates:
            return
        self._wait_for_writes()
        changed_fields = {"search_document", "search_names", "updated_at", "version"}
        for plan in updates:
            org = plan.instance
            for name in plan.changes:
                if name == "place":
                    org.place_id = plan.values["place"]
                elif name not in ("sectors", "tags"):
                    setattr(org, name, plan.values[name])
                    changed_fields.add(name)
            if "place" in plan.changes:
                changed_fields.add("place")
            org.updated_at = self.now
            org.version += 1
            org.search_document, org.search_names = build_search_fields(org)
        Organization.objects.bulk_update(
            [p.instance for p in updates], sorted(changed_fields), batch_size=500
        )
        for through, column, attribute in (
            (self.sector_through, "sector_id", "sectors"),
            (self.tag_through, "tag_id", "tags"),
        ):
            replaced = [p for p in updates if attribute in p.changes]
            if replaced:
                through.objects.filter(
                    organization_id__in=[p.organization_id for p in replaced]
                ).delete()
                self._write_links(through, column, attribute, replaced, connection)

    def _write_links(self, through, column, attribute, plans, db) -> None:
        links = [
            (plan.organization_id, target)
            for plan in plans
            for target in sorted(getattr(plan, attribute) or ())
        ]
        insert_rows(through, ["organization_id", column], links, batch_size=2000, db=db)

    def _record(self, plans: list[RowPlan], db) -> None:
        def as_json(value):
            return json.dumps(value, ensure_ascii=False) if value else "[]"

        rows = []
        for plan in plans:
            name = plan.values.get("name_uk") or plan.values.get("name_en") or ""
            rows.append(
                (
                    self.batch.pk,
                    plan.row,
                    str(plan.action),
                    plan.key_kind,
                    plan.key[:255],
                    name[:255],
                    plan.organization_id,
                    as_json(plan.changes),
                    as_json(plan.errors),
                )
            )
        insert_rows(ImportRow, IMPORT_ROW_COLUMNS, rows, batch_size=500, db=db)

    def summary(self) -> dict:
        return {
            "phase": "apply" if self.apply else "dry_run",
            "columns": self.columns,
            "ignored_columns": self.ignored,
        }
