"""The open data page, the downloads insights publishes itself, and the DCAT-AP
catalogue (JSON-LD) that portals harvest."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.exports import spreadsheet
from insights import datasets


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _both(text) -> dict:
    out = {}
    for language in ("uk", "en"):
        with translation.override(language):
            out[language] = str(text)
    return out


@require_GET
def open_data_page(request):
    """Every public dataset: description, licence, formats, update time, row count
    and its data dictionary in both languages."""
    entries = []
    for dataset in datasets.DATASETS:
        entries.append(
            {
                "dataset": dataset,
                "stats": dataset.stats(),
                "columns": [
                    {"column": column, "meaning": _both(column.meaning)}
                    for column in dataset.columns
                ],
            }
        )
    context = {
        "entries": entries,
        "license": settings.MIST_OPEN_DATA_LICENSE,
    }
    return render(request, "insights/open_data.html", context)


@require_GET
def dataset_download(request, slug, fmt):
    """A dataset insights publishes itself (events, needs and offers, aggregates)."""
    rows = datasets.ROWS.get(slug)
    if rows is None or fmt != "csv":
        raise Http404
    name = f"mist-{slug}-{timezone.localdate().isoformat()}"
    return spreadsheet(rows(_base_url(request)), fmt=fmt, name=name, title=slug)


def _text(text) -> list[dict]:
    return [
        {"@language": language, "@value": value}
        for language, value in _both(text).items()
    ]


def catalogue(base_url: str) -> dict:
    """The DCAT-AP catalogue of every open dataset, as JSON-LD."""
    license_ref = {"@id": settings.MIST_OPEN_DATA_LICENSE}
    publisher = {
        "@type": "foaf:Agent",
        "foaf:name": _text(settings.MIST_CLUSTER_NAME),
    }
    with translation.override("en"):
        page = base_url + _reverse("insights:open-data")
    items = []
    for dataset in datasets.DATASETS:
        stats = dataset.stats()
        distributions = []
        for distribution in dataset.distributions:
            with translation.override("en"):
                url = base_url + distribution.path()
            distributions.append(
                {
                    "@type": "dcat:Distribution",
                    "dcat:accessURL": {"@id": url},
                    "dcat:downloadURL": {"@id": url},
                    "dcat:mediaType": {
                        "@id": "http://www.iana.org/assignments/media-types/"
                        + distribution.media_type
                    },
                    "dct:format": distribution.format,
                    "dct:license": license_ref,
                    "dct:title": distribution.format,
                }
            )
        item = {
            "@id": f"{page}#{dataset.slug}",
            "@type": "dcat:Dataset",
            "dct:identifier": dataset.slug,
            "dct:title": _text(dataset.title),
            "dct:description": _text(dataset.description),
            "dct:publisher": publisher,
            "dct:license": license_ref,
            "dcat:landingPage": {"@id": f"{page}#{dataset.slug}"},
            "dcat:keyword": list(dataset.keywords),
            "dcat:distribution": distributions,
        }
        if stats["updated"]:
            item["dct:modified"] = {
                "@value": stats["updated"].isoformat(),
                "@type": "xsd:dateTime",
            }
        items.append(item)
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": base_url + "/open-data/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _text(_("Open data of Mist")),
        "dct:description": _text(
            _("Public datasets of the platform, with their data dictionaries.")
        ),
        "dct:publisher": publisher,
        "dct:license": license_ref,
        "foaf:homepage": {"@id": page},
        "dcat:dataset": items,
    }


def _reverse(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@require_GET
def catalogue_view(request):
    """`/open-data/catalog.jsonld`: the DCAT-AP catalogue."""
    body = json.dumps(catalogue(_base_url(request)), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")
