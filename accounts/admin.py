from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Membership, User
from core.admin import ExistingRowsInline


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(ExistingRowsInline):
    model = Membership
    raw_id_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users sign in with an e-mail address; there is no user name."""

    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {"fields": ("full_name", "role", "preferred_language", "time_zone")},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "password1", "password2"),
            },
        ),
    )

    def has_delete_permission(self, request, obj=None):
        # Deleting the row would take the person's reviews, registrations and
        # meetings with it; accounts are deleted by anonymising them (users page).
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "is_editor", "title", "created_at"]
    list_filter = ["is_editor"]
    search_fields = ["user__email", "user__full_name", "organization__name_uk"]
    raw_id_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read the invitations; sending and revoking go through the staff pages,
    which also write the audit log and the e-mail."""

    list_display = ["email", "role", "organization", "invited_by", "expires_at"]
    list_filter = ["role", "language"]
    search_fields = ["email"]
    list_select_related = ["organization", "invited_by"]
    readonly_fields = [
        "email",
        "role",
        "organization",
        "invited_by",
        "language",
        "expires_at",
        "sent_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
        "created_at",
        "updated_at",
    ]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False
