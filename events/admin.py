"""The admin site for events: a read-mostly fallback for staff.

Publishing, cancelling and registering go through the services on the event pages
(they lock, promote from the waiting list, audit and e-mail); here status fields are
read-only."""

from django.contrib import admin

from core.admin import ExistingRowsInline
from events.models import Event, Registration


class RegistrationInline(ExistingRowsInline):
    model = Registration
    fields = ["user", "organization", "status", "created_at", "promoted_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title_uk", "kind", "starts_at", "time_zone", "status", "is_public"]
    list_filter = ["kind", "status", "is_public"]
    search_fields = ["title_uk", "title_en", "slug"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "sequence", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["organizer"]
    inlines = [RegistrationInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "user",
        "status",
        "created_at",
        "promoted_at",
        "reminded_at",
    ]
    list_filter = ["status"]
    search_fields = ["user__email", "event__title_uk", "event__title_en"]
    raw_id_fields = ["event", "user", "organization"]
    readonly_fields = ["status", "promoted_at", "cancelled_at", "reminded_at"]
