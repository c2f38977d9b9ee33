from django.urls import path

from core.routing import routes
from matching import views

app_name = "matching"
urlpatterns = [
    path("", views.recommendations, name="recommendations"),
    path("interests/", views.profile_edit, name="profile-edit"),
    *routes(
        "needs-offers/",
        ("", views.needoffer_list, "needoffer-list"),
        ("new/", views.needoffer_create, "needoffer-create"),
        ("mine/", views.needoffer_mine, "needoffer-mine"),
        ("moderation/", views.moderation_queue, "moderation-queue"),
        ("<int:pk>/", views.needoffer_detail, "needoffer-detail"),
        ("<int:pk>/edit/", views.needoffer_edit, "needoffer-edit"),
        ("<int:pk>/submit/", views.needoffer_submit, "needoffer-submit"),
        ("<int:pk>/renew/", views.needoffer_renew, "needoffer-renew"),
        ("<int:pk>/moderate/", views.needoffer_moderate, "needoffer-moderate"),
    ),
]
