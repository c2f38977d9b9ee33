"""The admin site for talent: staff keep the return plan's steps (bilingual content).
Profiles are private and roles are moderated on their own pages, so neither is here."""

from django.contrib import admin

from talent.models import PlanStep


@admin.register(PlanStep)
class PlanStepAdmin(admin.ModelAdmin):
    list_display = ["title_uk", "title_en", "condition", "position"]
    list_filter = ["condition"]
    list_editable = ["position"]
