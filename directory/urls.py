from django.urls import path

from directory import import_views, views

app_name = "directory"
urlpatterns = [
    # Public directory (directory/views.py)
    path("", views.organization_list, name="organization-list"),
    path(
        "export/<str:fmt>/",
        import_views.organization_export,
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
    # Bulk import for cluster staff (directory/import_views.py)
    path("imports/", import_views.import_list, name="import-list"),
    path("imports/new/", import_views.import_upload, name="import-upload"),
    path("imports/<int:pk>/", import_views.import_detail, name="import-detail"),
    path("imports/<int:pk>/file/", import_views.import_file, name="import-file"),
    path("imports/<int:pk>/apply/", import_views.import_apply, name="import-apply"),
    path(
        "imports/<int:pk>/restart/", import_views.import_restart, name="import-restart"
    ),
    path(
        "imports/<int:pk>/rejected.<str:fmt>",
        import_views.import_rejected_rows,
        name="import-rejected",
    ),
    path(
        "imports/template.<str:fmt>",
        import_views.import_template,
        name="import-template",
    ),
]
