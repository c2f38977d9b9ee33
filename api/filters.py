"""Query-string filters of the API lists, validated like any other input: the
apps' FilterSets (through FilterBackend) and the vocabularies' filter serializers."""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework import serializers

from directory.models import Sector

# Django's form messages in the words DRF uses for the same mistakes, so that a bad
# filter reads like any other bad input of the API (DRF's catalogue translates them).
DRF_MESSAGES = {
    ("invalid_choice", None): ('"{input}" is not a valid choice.', {"input": "value"}),
    ("max_length", None): (
        "Ensure this field has no more than {max_length} characters.",
        {"max_length": "limit_value"},
    ),
    ("min_length", None): (
        "Ensure this field has at least {min_length} characters.",
        {"min_length": "limit_value"},
    ),
    ("max_value", None): (
        "Ensure this value is less than or equal to {max_value}.",
        {"max_value": "limit_value"},
    ),
    ("min_value", None): (
        "Ensure this value is greater than or equal to {min_value}.",
        {"min_value": "limit_value"},
    ),
    ("max_digits", None): (
        "Ensure that there are no more than {max_digits} digits in total.",
        {"max_digits": "max"},
    ),
    ("max_decimal_places", None): (
        "Ensure that there are no more than {max_decimal_places} decimal places.",
        {"max_decimal_places": "max"},
    ),
    ("max_whole_digits", None): (
        "Ensure that there are no more than {max_whole_digits} digits before the "
        "decimal point.",
        {"max_whole_digits": "max"},
    ),
    ("invalid", forms.SlugField): (
        'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.',
        {},
    ),
    # A DecimalField is an IntegerField to Django: the decimal one comes first.
    ("invalid", forms.DecimalField): ("A valid number is required.", {}),
    ("invalid", forms.IntegerField): ("A valid integer is required.", {}),
}


def drf_message(error: DjangoValidationError, field: forms.Field) -> str:
    """One error of a filter form, worded as DRF words it."""
    for (code, field_class), (message, names) in DRF_MESSAGES.items():
        if error.code == code and (
            field_class is None or isinstance(field, field_class)
        ):
            params = error.params or {}
            return gettext(message).format(
                **{name: params.get(param) for name, param in names.items()}
            )
    return next(iter(error))


class FilterBackend(DjangoFilterBackend):
    """The view's FilterSet on the list; bad values answer 400, field by field."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") != "list":
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            form = filterset.form
            raise serializers.ValidationError(
                {
                    name: [
                        drf_message(error, form.fields.get(name)) for error in errors
                    ]
                    for name, errors in form.errors.as_data().items()
                }
            )
        return filterset.qs


class SectorFilterSerializer(serializers.Serializer):
    """The filters of GET /api/v1/sectors/."""

    level = serializers.ChoiceField(choices=Sector.Level.choices, required=False)
    parent = serializers.CharField(
        required=False, max_length=8, help_text=_("Divisions of this section.")
    )


def filter_sectors(queryset: QuerySet, filters: dict) -> QuerySet:
    if filters.get("level"):
        queryset = queryset.filter(level=filters["level"])
    if filters.get("parent"):
        queryset = queryset.filter(parent__code=filters["parent"].upper())
    return queryset


class PlaceFilterSerializer(serializers.Serializer):
    """The filters of GET /api/v1/places/."""

    parent = serializers.CharField(
        required=False,
        max_length=19,
        help_text=_("Places directly inside this KATOTTG code."),
    )
    category = serializers.CharField(
        required=False, max_length=1, help_text=_("KATOTTG category letter.")
    )


def filter_places(queryset: QuerySet, filters: dict) -> QuerySet:
    if filters.get("parent"):
        queryset = queryset.filter(parent__code=filters["parent"].upper())
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"].upper())
    return queryset


class TagFilterSerializer(serializers.Serializer):
    """The filters of GET /api/v1/tags/."""

    q = serializers.CharField(
        required=False, max_length=100, help_text=_("Part of a name or identifier.")
    )


def filter_tags(queryset: QuerySet, filters: dict) -> QuerySet:
    if query := (filters.get("q") or "").strip():
        queryset = queryset.filter(
            Q(slug__icontains=query)
            | Q(name_uk__icontains=query)
            | Q(name_en__icontains=query)
        )
    return queryset


class FilterSetParameters(DjangoFilterExtension):
    """The OpenAPI parameters of a FilterSet, with the bounds its form fields
    check (django-filter's own extension leaves them out)."""

    target_class = "api.filters.FilterBackend"
    priority = 1
    BOUNDS = {
        "max_length": "maxLength",
        "min_length": "minLength",
        "min_value": "minimum",
        "max_value": "maximum",
    }

    def resolve_filter_field(
        self, auto_schema, model, filterset_class, field_name, filter_field
    ):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter["schema"]
            field_class, extra = filter_field.field_class, filter_field.extra
            if issubclass(field_class, forms.DecimalField):
                schema.clear()
                schema.update(type="string", format="decimal")
                if extra.get("max_digits") and extra.get("decimal_places"):
                    whole = extra["max_digits"] - extra["decimal_places"]
                    schema["pattern"] = (
                        rf"^-?\d{{0,{whole}}}(?:\.\d{{0,{extra['decimal_places']}}})?$"
                    )
            elif issubclass(field_class, forms.IntegerField):
                schema["type"] = "integer"
            for argument, keyword in self.BOUNDS.items():
                if filter_field.extra.get(argument) is not None:
                    schema[keyword] = filter_field.extra[argument]
        return parameters
