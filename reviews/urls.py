from django.urls import path

from core.routing import routes
from reviews.views import assignment, dashboard, decisions, reviewer, rounds

app_name = "reviews"
urlpatterns = [
    path("", reviewer.my_reviews, name="my-reviews"),
    path("calls/", dashboard.call_list, name="call-list"),
    *routes(
        "calls/<slug:slug>/",
        ("", dashboard.dashboard, "dashboard"),
        ("export.<str:fmt>", dashboard.dashboard_export, "dashboard-export"),
        ("reviewers/", dashboard.reviewer_list, "reviewer-list"),
        ("profile/", reviewer.reviewer_profile, "reviewer-profile"),
        ("release/", decisions.decision_release, "decision-release"),
        ("outbox/", decisions.outbox, "outbox"),
        ("templates/<str:outcome>/", decisions.template_edit, "template-edit"),
        ("assignment/", assignment.assignment, "assignment"),
        ("assignment/run/", assignment.assignment_run, "assignment-run"),
        ("assignment/add/", assignment.assignment_add, "assignment-add"),
    ),
    *routes(
        "assignments/<int:pk>/",
        ("remove/", assignment.assignment_remove, "assignment-remove"),
        ("pin/", assignment.assignment_pin, "assignment-pin"),
    ),
    path("outbox/<int:pk>/", decisions.outbox_message, name="outbox-message"),
    *routes(
        "submissions/<int:pk>/",
        ("", reviewer.review_edit, "review-edit"),
        ("conflict/", reviewer.review_conflict, "review-conflict"),
        ("reviews/", dashboard.submission_reviews, "submission-reviews"),
        ("decision/", decisions.decision_edit, "decision-edit"),
        ("feedback/", decisions.submission_feedback, "submission-feedback"),
        ("round/", rounds.round_reviewers, "round-reviewers"),
    ),
]
