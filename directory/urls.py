from django.urls import path

from directory import views

app_name = "directory"
urlpatterns = [
    # Public directory (directory/views/)
    path("", views.organization_list, name="organization-list"),
    path(
        "export/<str:fmt>/",
        views.organization_export,
        name="organization-export",
    ),
    path("new/", views.organization_create, name="organization-create"),
    path("mine/", views.my_organizations, name="my-organizations"),
    path("moderation/", views.moderation_queue, name="moderation-queue"),
    path(
        "moderation/organizations/<int:pk>/",
        views.moderate_organization,
        name="moderate-organization",
    ),
    path(
        "moderation/changes/<int:pk>/",
        views.moderate_revision,
        name="moderate-revision",
    ),
    path("o/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("o/<slug:slug>/edit/", views.organization_edit, name="organization-edit"),
    # Bulk import for cluster staff (directory/views/)
    path("imports/", views.import_list, name="import-list"),
    path("imports/new/", views.import_upload, name="import-upload"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/file/", views.import_file, name="import-file"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import-apply"),
    path("imports/<int:pk>/restart/", views.import_restart, name="import-restart"),
    path(
        "imports/<int:pk>/rejected.<str:fmt>",
        views.import_rejected_rows,
        name="import-rejected",
    ),
    path(
        "imports/template.<str:fmt>",
        views.import_template,
        name="import-template",
    ),
]
