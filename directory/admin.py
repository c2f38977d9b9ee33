"""The admin site for the directory: a fallback for staff, not the main workflow.

Changes of state with side effects (verify, reject, delete) go through the services
on the moderation pages, so they are audited and e-mailed; here they are read-only.
"""

from django.contrib import admin
from django.db import models

from core.widgets import PrivateFileInput
from directory.models import (
    ImportBatch,
    Organization,
    Place,
    ProfileRevision,
    Sector,
    Tag,
)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_uk", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_uk", "name_en"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_uk", "name_en"]
    search_fields = ["slug", "name_uk", "name_en"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_uk", "name_en", "category", "parent"]
    list_filter = ["category"]
    search_fields = ["code", "name_uk", "name_en"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = [
        "name_uk",
        "name_en",
        "kind",
        "verification",
        "cluster_status",
        "visibility",
        "deleted_at",
    ]
    list_filter = ["kind", "verification", "cluster_status", "visibility", "is_demo"]
    search_fields = ["name_uk", "name_en", "slug", "edrpou"]
    autocomplete_fields = ["sectors", "tags"]
    raw_id_fields = ["place", "verified_by"]
    readonly_fields = [
        "verification",
        "verified_at",
        "verified_by",
        "rejection_reason",
        "deleted_at",
        "version",
        "created_at",
        "updated_at",
    ]

    def save_model(self, request, obj, form, change):
        obj.version += 1 if change else 0
        super().save_model(request, obj, form, change)


@admin.register(ProfileRevision)
class ProfileRevisionAdmin(admin.ModelAdmin):
    list_display = ["organization", "status", "proposed_by", "created_at", "decided_by"]
    list_filter = ["status"]
    raw_id_fields = ["organization", "proposed_by", "decided_by"]
    readonly_fields = [
        "organization",
        "proposed_by",
        "base_version",
        "changes",
        "status",
        "decided_by",
        "decided_at",
        "reason",
    ]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "created_by", "created_at", "total_rows"]
    list_filter = ["status"]
    readonly_fields = ["report"]
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}
