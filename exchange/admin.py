from django.contrib import admin

from core.admin import ExistingRowsInline
from exchange.models import (
    Attachment,
    Call,
    CallPhase,
    Criterion,
    Message,
    Submission,
    SubmissionVersion,
)


class CallPhaseInline(ExistingRowsInline):
    model = CallPhase


class CriterionInline(ExistingRowsInline):
    model = Criterion


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_uk", "title_en", "organizer", "phase", "closes_at")
    list_filter = ("phase", "is_blind")
    search_fields = ("slug", "title_uk", "title_en")
    raw_id_fields = ("organizer", "created_by")
    filter_horizontal = ("eligible_organizations",)
    inlines = [CriterionInline, CallPhaseInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        Call.reviews_changed(form.instance.pk)  # the rubric may have changed


class VersionInline(ExistingRowsInline):
    model = SubmissionVersion
    readonly_fields = ("number", "created_at", "created_by")
    fields = ("number", "created_at", "created_by")


class AttachmentInline(ExistingRowsInline):
    model = Attachment
    readonly_fields = ("original_name", "size", "uploaded_by")
    fields = ("original_name", "size", "uploaded_by")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("pk", "title_uk", "organization", "call", "status", "version")
    list_filter = ("status", "english_needed", "call")
    search_fields = ("title_uk", "title_en")
    raw_id_fields = ("call", "organization", "created_by")
    inlines = [VersionInline, AttachmentInline]

    # A changed status or a deleted submission changes its call's review ranking.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Call.reviews_changed(obj.call_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Call.reviews_changed(obj.call_id)

    def delete_queryset(self, request, queryset):
        calls = set(queryset.values_list("call_id", flat=True))
        super().delete_queryset(request, queryset)
        for call_id in calls:
            Call.reviews_changed(call_id)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("submission", "author", "is_from_reviewer", "created_at")
    raw_id_fields = ("submission", "author")
