"""API permission classes: thin wrappers around the domain predicates."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.permissions import is_signed_in
from directory.permissions import (
    can_create_organization,
    can_edit_organization,
    can_view_organization,
)


class ReadAndPredicates(permissions.BasePermission):
    """Reading for everyone (the viewset's queryset holds visibility, `can_read`
    refines it for one object); writing through the app's predicates: `can_create`
    for a POST, `can_change` for a change of one object. An absent predicate asks
    only that the caller is signed in (`can_change`: allows)."""

    can_create = staticmethod(is_signed_in)
    can_change = None
    can_read = None

    def creates(self, request, view) -> bool:
        """Whether the request creates an object (every POST, unless a subclass
        narrows it to the viewset's create action)."""
        return request.method == "POST"

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if self.creates(request, view):
            return self.can_create(request.user)
        return is_signed_in(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return self.can_read is None or self.can_read(request.user, obj)
        return self.can_change is None or self.can_change(request.user, obj)


class OrganizationAccess(ReadAndPredicates):
    """Everyone reads what they may see; signed-in people create; editors of the
    organization and cluster staff change it."""

    message = _("You may not change this organization.")
    can_create = staticmethod(can_create_organization)
    can_read = staticmethod(can_view_organization)
    can_change = staticmethod(can_edit_organization)
