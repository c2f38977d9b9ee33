"""PLACEHOLDER: being written; every view below is replaced."""

from django.http import Http404


def import_list(request, *args, **kwargs):
    raise Http404


def import_upload(request, *args, **kwargs):
    raise Http404


def import_detail(request, *args, **kwargs):
    raise Http404


def import_apply(request, *args, **kwargs):
    raise Http404


def import_rejected_rows(request, *args, **kwargs):
    raise Http404


def import_template(request, *args, **kwargs):
    raise Http404
