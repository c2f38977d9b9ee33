from django.urls import path

from insights import open_data, views
from insights.journey import views as journey

app_name = "insights"

urlpatterns = [
    path("", views.insights_page, name="page"),
    path("staff/", views.staff_page, name="staff"),
    path("charts/<slug:slug>.csv", views.chart_csv, name="chart-csv"),
    path("report.pdf", views.report_pdf, name="report"),
    path("open-data/", open_data.open_data_page, name="open-data"),
    path(
        "open-data/<slug:slug>.<str:fmt>",
        open_data.dataset_download,
        name="dataset-download",
    ),
    # The joined journey (issue 13).
    path("journey/", journey.journey_list, name="journey-list"),
    path("journey/<int:pk>/", journey.journey_detail, name="journey-detail"),
]
