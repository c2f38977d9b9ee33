from django.urls import path

from core.routing import routes
from visits.views import after, programme, visits

app_name = "visits"
urlpatterns = [
    path("", visits.visit_list, name="visit-list"),
    path("mine/", visits.my_visits, name="my-visits"),
    path("new/", visits.visit_create, name="visit-create"),
    *routes(
        "<int:pk>/",
        ("", visits.visit_detail, "visit-detail"),
        ("edit/", visits.visit_edit, "visit-edit"),
        ("status/", visits.visit_status, "visit-status"),
        ("members/", visits.visit_members, "visit-members"),
        ("members/<int:member_pk>/remove/", visits.member_remove, "member-remove"),
        ("items/new/", programme.item_create, "item-create"),
        ("items/<int:item_pk>/edit/", programme.item_edit, "item-edit"),
        ("items/<int:item_pk>/cancel/", programme.item_cancel, "item-cancel"),
        ("items/<int:item_pk>/outcome/", after.item_outcome, "item-outcome"),
        ("proposal/", programme.visit_proposal, "visit-proposal"),
        ("b2b/", programme.visit_b2b, "visit-b2b"),
        ("invitations/", programme.visit_invitations, "visit-invitations"),
        ("disruption/", programme.visit_disruption, "visit-disruption"),
        ("programme.pdf", programme.programme_pdf, "programme-pdf"),
        ("report/", after.visit_report, "visit-report"),
        ("report.pdf", after.visit_report_pdf, "report-pdf"),
        ("follow-ups/", after.follow_up_create, "follow-up-create"),
        ("follow-ups/<int:follow_up_pk>/done/", after.follow_up_done, "follow-up-done"),
    ),
    *(
        path(
            f"<int:pk>/invitations/<int:invitation_pk>/{answer}/",
            programme.invitation_answer,
            {"answer": answer},
            name=f"invitation-{answer}",
        )
        for answer in ("accept", "decline")
    ),
]
