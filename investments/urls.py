from django.urls import path

from investments import views

app_name = "investments"
urlpatterns = [
    # Public catalogue and project pages
    path("", views.project_list, name="project-list"),
    path("map.json", views.catalogue_map, name="catalogue-map"),
    path("projects/new/", views.project_create, name="project-create"),
    path("manage/", views.project_manage, name="project-manage"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="project-edit"),
    path("projects/<slug:slug>/status/", views.project_status, name="project-status"),
    path(
        "projects/<slug:slug>/history/", views.project_history, name="project-history"
    ),
    path("projects/<slug:slug>/files/", views.project_files, name="project-files"),
    path(
        "documents/<int:pk>/download/",
        views.document_download,
        name="document-download",
    ),
    path("documents/<int:pk>/delete/", views.document_delete, name="document-delete"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo-delete"),
    # Investors
    path(
        "projects/<slug:slug>/interest/", views.interest_create, name="interest-create"
    ),
    path("interests/", views.my_interests, name="my-interests"),
    path("interests/<int:pk>/terms/", views.interest_terms, name="interest-terms"),
    path("verification/", views.verification_request, name="verification-request"),
    # The city's pipeline and dashboard
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/<int:pk>/", views.interest_detail, name="interest-detail"),
    path("pipeline/<int:pk>/move/", views.interest_move, name="interest-move"),
    path("pipeline/<int:pk>/accept/", views.interest_accept, name="interest-accept"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("investors/", views.investor_list, name="investor-list"),
    path("investors/<int:pk>/verify/", views.investor_verify, name="investor-verify"),
    # open data and PDFs
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/oc4ids.json", views.oc4ids_export, name="oc4ids-export"),
    path(
        "open-data/portfolio.<str:fmt>",
        views.portfolio_export,
        name="portfolio-export",
    ),
    path(
        "open-data/publication-policy/",
        views.publication_policy,
        name="publication-policy",
    ),
    path("open-data/import/", views.oc4ids_import, name="oc4ids-import"),
    path(
        "projects/<slug:slug>/parties/add/",
        views.project_party_add,
        name="project-party-add",
    ),
    path(
        "open-data/import/apply/",
        views.oc4ids_import_apply,
        name="oc4ids-import-apply",
    ),
    path("rates/", views.rates_page, name="rates"),
    path("rates/apply/", views.rates_apply, name="rates-apply"),
    path(
        "projects/<slug:slug>/passport.pdf",
        views.project_passport,
        name="project-passport",
    ),
    path("pitch-book/", views.pitch_book, name="pitch-book"),
    path(
        "pitch-book/download/",
        views.pitch_book_download,
        name="pitch-book-download",
    ),
]
