from django.urls import path

from matching import views

app_name = "matching"
urlpatterns = [
    path("", views.recommendations, name="recommendations"),
    path("interests/", views.profile_edit, name="profile-edit"),
    path("needs-offers/", views.needoffer_list, name="needoffer-list"),
    path("needs-offers/new/", views.needoffer_create, name="needoffer-create"),
    path("needs-offers/mine/", views.needoffer_mine, name="needoffer-mine"),
    path("needs-offers/moderation/", views.moderation_queue, name="moderation-queue"),
    path("needs-offers/<int:pk>/", views.needoffer_detail, name="needoffer-detail"),
    path("needs-offers/<int:pk>/edit/", views.needoffer_edit, name="needoffer-edit"),
    path(
        "needs-offers/<int:pk>/submit/", views.needoffer_submit, name="needoffer-submit"
    ),
    path("needs-offers/<int:pk>/renew/", views.needoffer_renew, name="needoffer-renew"),
    path(
        "needs-offers/<int:pk>/moderate/",
        views.needoffer_moderate,
        name="needoffer-moderate",
    ),
]
