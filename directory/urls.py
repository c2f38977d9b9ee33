from django.urls import path

from core.routing import routes
from directory import views

app_name = "directory"
urlpatterns = [
    # Public directory (directory/views/)
    path("", views.organization_list, name="organization-list"),
    path("export/<str:fmt>/", views.organization_export, name="organization-export"),
    path("new/", views.organization_create, name="organization-create"),
    path("mine/", views.my_organizations, name="my-organizations"),
    *routes(
        "moderation/",
        ("", views.moderation_queue, "moderation-queue"),
        (
            "organizations/<int:pk>/",
            views.moderate_organization,
            "moderate-organization",
        ),
        ("changes/<int:pk>/", views.moderate_revision, "moderate-revision"),
    ),
    path("o/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("o/<slug:slug>/edit/", views.organization_edit, name="organization-edit"),
    # Bulk import for cluster staff (directory/views/)
    *routes(
        "imports/",
        ("", views.import_list, "import-list"),
        ("new/", views.import_upload, "import-upload"),
        ("<int:pk>/", views.import_detail, "import-detail"),
        ("<int:pk>/file/", views.import_file, "import-file"),
        ("<int:pk>/apply/", views.import_apply, "import-apply"),
        ("<int:pk>/restart/", views.import_restart, "import-restart"),
        ("<int:pk>/rejected.<str:fmt>", views.import_rejected_rows, "import-rejected"),
        ("template.<str:fmt>", views.import_template, "import-template"),
    ),
]
