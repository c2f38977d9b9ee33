from django.urls import path

from matching import views

app_name = "matching"
urlpatterns = [
    path("", views.recommendations, name="recommendations"),
    path("interests/", views.profile_edit, name="profile-edit"),
    *views.PAGES.urls("needs-offers/", detail=views.needoffer_detail),
]
