"""JSON API of the `insights` app: the public charts of the ecosystem page, read from
prepared figures, under the small-number rule (a count of fewer than 5 reads "<5").
Read-only and open to everyone, like the page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.pagination import PageNumberPagination
from insights import charts, queries

FILTERS = [
    OpenApiParameter(
        "period", OpenApiTypes.STR, description="all (default), 2026 or 2026-Q3"
    ),
    OpenApiParameter("sector", OpenApiTypes.STR, description="A KVED section code"),
]


class ChartSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class ChartRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    values = serializers.DictField(
        help_text='One count per series; "<5" when fewer than 5.'
    )
    amount = serializers.DecimalField(
        max_digits=20, decimal_places=0, allow_null=True, required=False
    )


class ChartSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    period = serializers.CharField()
    sector = serializers.CharField(allow_blank=True)
    computed_at = serializers.DateTimeField(allow_null=True)
    reading = serializers.CharField()
    dimension = serializers.CharField()
    series = serializers.ListField(child=serializers.CharField())
    amount_currency = serializers.CharField(allow_null=True)
    rows = ChartRowSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        summary="The public charts of the ecosystem page",
        responses=ChartSummarySerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One chart's numbers for a period and sector", parameters=FILTERS
    ),
)
class InsightChartViewSet(viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    pagination_class = PageNumberPagination
    lookup_field = "slug"
    lookup_value_regex = "[a-z-]+"
    serializer_class = ChartSerializer

    def list(self, request):
        items = [
            {
                "slug": chart.slug,
                "title": str(chart.title),
                "url": reverse(
                    "api:insight-detail", kwargs={"slug": chart.slug}, request=request
                ),
            }
            for chart in charts.CHARTS
        ]
        page = self.paginate_queryset(items)
        return self.get_paginated_response(ChartSummarySerializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        chart = charts.CHARTS_BY_SLUG.get(slug)
        if chart is None:
            raise NotFound()
        period = queries.parse_period(request.query_params.get("period"))
        sector = request.query_params.get("sector", "")
        section = queries.sections().filter(code=sector).first() if sector else None
        if section is None or not chart.by_sector:
            sector, section = "", None
        figures = queries.figures_for(period, sector, [chart.measure], public=True)
        table = charts.build_table(
            chart,
            figures,
            public=True,
            sector_label=str(section.name) if section else "",
        )
        data = {
            "slug": chart.slug,
            "title": str(chart.title),
            "period": period.slug,
            "sector": sector,
            "computed_at": queries.computed_at(),
            "reading": table.reading,
            "dimension": chart.dimension,
            "series": list(chart.series) if chart.series != ("",) else ["count"],
            "amount_currency": "USD" if table.has_amount else None,
            "rows": [
                {
                    "key": row.key,
                    "label": row.label,
                    "values": {
                        (series or "count"): count.as_data()
                        for series, count in zip(chart.series, row.counts, strict=True)
                    },
                    "amount": row.amount,
                }
                for row in table.rows
            ],
        }
        return Response(ChartSerializer(data).data)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("insights", InsightChartViewSet, basename="insight")


urlpatterns: list = []
