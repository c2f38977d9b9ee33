from django.urls import path

from reviews import views, views_assignment

app_name = "reviews"
urlpatterns = [
    path("", views.my_reviews, name="my-reviews"),
    path("calls/", views.call_list, name="call-list"),
    path("calls/<slug:slug>/", views.dashboard, name="dashboard"),
    path(
        "calls/<slug:slug>/export.<str:fmt>",
        views.dashboard_export,
        name="dashboard-export",
    ),
    path("calls/<slug:slug>/reviewers/", views.reviewer_list, name="reviewer-list"),
    path("calls/<slug:slug>/profile/", views.reviewer_profile, name="reviewer-profile"),
    path("calls/<slug:slug>/release/", views.decision_release, name="decision-release"),
    path("calls/<slug:slug>/outbox/", views.outbox, name="outbox"),
    path(
        "calls/<slug:slug>/templates/<str:outcome>/",
        views.template_edit,
        name="template-edit",
    ),
    # assignment
    path(
        "calls/<slug:slug>/assignment/",
        views_assignment.assignment,
        name="assignment",
    ),
    path(
        "calls/<slug:slug>/assignment/run/",
        views_assignment.assignment_run,
        name="assignment-run",
    ),
    path(
        "calls/<slug:slug>/assignment/add/",
        views_assignment.assignment_add,
        name="assignment-add",
    ),
    path(
        "assignments/<int:pk>/remove/",
        views_assignment.assignment_remove,
        name="assignment-remove",
    ),
    path(
        "assignments/<int:pk>/pin/",
        views_assignment.assignment_pin,
        name="assignment-pin",
    ),
    # end assignment
    path("outbox/<int:pk>/", views.outbox_message, name="outbox-message"),
    path("submissions/<int:pk>/", views.review_edit, name="review-edit"),
    path(
        "submissions/<int:pk>/conflict/", views.review_conflict, name="review-conflict"
    ),
    path(
        "submissions/<int:pk>/reviews/",
        views.submission_reviews,
        name="submission-reviews",
    ),
    path("submissions/<int:pk>/decision/", views.decision_edit, name="decision-edit"),
    path(
        "submissions/<int:pk>/feedback/",
        views.submission_feedback,
        name="submission-feedback",
    ),
]
