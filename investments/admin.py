"""Admin of the investment portfolio (read-mostly: changes go through the pages, which
record history and run the quality checks)."""

from django.contrib import admin
from django.db import models

from core.admin import ExistingRowsInline
from core.widgets import PrivateFileInput
from investments.models import (
    BudgetLine,
    ExchangeRate,
    FundingSource,
    Indicator,
    Interest,
    InvestmentProject,
    InvestorVerification,
    ProjectChange,
    ProjectDocument,
    ProjectPhoto,
)


class BudgetLineInline(ExistingRowsInline):
    model = BudgetLine


class FundingSourceInline(ExistingRowsInline):
    model = FundingSource


class IndicatorInline(ExistingRowsInline):
    model = Indicator


class DocumentInline(ExistingRowsInline):
    model = ProjectDocument
    fields = ("title_uk", "document_type", "access", "original_name")
    readonly_fields = ("original_name",)


@admin.register(InvestmentProject)
class InvestmentProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "title_uk", "status", "readiness", "owner", "updated_at")
    list_filter = ("status", "readiness", "strategy_area")
    search_fields = ("code", "title_uk", "title_en")
    raw_id_fields = ("owner", "place", "created_by", "updated_by")
    readonly_fields = ("version", "published_at", "quality_warnings")
    inlines = [BudgetLineInline, FundingSourceInline, IndicatorInline, DocumentInline]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ("project", "investor", "stage", "amount", "currency", "created_at")
    list_filter = ("stage",)
    raw_id_fields = ("project", "investor", "organization", "accepted_by")


@admin.register(InvestorVerification)
class InvestorVerificationAdmin(admin.ModelAdmin):
    list_display = ("user", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "organization", "decided_by")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "rate_date", "uah_per_unit", "source")
    list_filter = ("currency",)


@admin.register(ProjectChange)
class ProjectChangeAdmin(admin.ModelAdmin):
    list_display = ("project", "kind", "changed_by", "created_at")
    raw_id_fields = ("project", "changed_by")


@admin.register(ProjectPhoto)
class ProjectPhotoAdmin(admin.ModelAdmin):
    list_display = ("project", "caption_uk", "position")
    formfield_overrides = {models.ImageField: {"widget": PrivateFileInput}}
