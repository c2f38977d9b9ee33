"""PLACEHOLDER: being written; every view below is replaced."""

from django.http import Http404


def organization_list(request, *args, **kwargs):
    raise Http404


def organization_export(request, *args, **kwargs):
    raise Http404


def organization_create(request, *args, **kwargs):
    raise Http404


def my_organizations(request, *args, **kwargs):
    raise Http404


def moderation_queue(request, *args, **kwargs):
    raise Http404


def moderate_organization(request, *args, **kwargs):
    raise Http404


def moderate_revision(request, *args, **kwargs):
    raise Http404


def organization_detail(request, *args, **kwargs):
    raise Http404


def organization_edit(request, *args, **kwargs):
    raise Http404
