"""API permission classes: thin wrappers around the domain predicates."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.permissions import is_signed_in
from directory.permissions import (
    can_create_organization,
    can_edit_organization,
    can_view_organization,
)


class OrganizationAccess(permissions.BasePermission):
    """Everyone reads what they may see; signed-in people create; editors of the
    organization and cluster staff change it."""

    message = _("You may not change this organization.")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "POST":
            return can_create_organization(request.user)
        return is_signed_in(request.user)

    def has_object_permission(self, request, view, organization) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return can_view_organization(request.user, organization)
        return can_edit_organization(request.user, organization)
