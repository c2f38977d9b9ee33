from django.urls import path

from insights.journey import views as journey

app_name = "insights"

urlpatterns = [
    # The joined journey (issue 13).
    path("journey/", journey.journey_list, name="journey-list"),
    path("journey/<int:pk>/", journey.journey_detail, name="journey-detail"),
]
