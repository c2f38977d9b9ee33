"""The directory's pages, one module per area; the URLs name them from here."""

from directory.views.editing import (
    my_organizations,
    organization_create,
    organization_edit,
)
from directory.views.imports import (
    import_apply,
    import_detail,
    import_file,
    import_list,
    import_rejected_rows,
    import_restart,
    import_template,
    import_upload,
    organization_export,
)
from directory.views.moderation import (
    moderate_organization,
    moderate_revision,
    moderation_queue,
)
from directory.views.organizations import organization_detail, organization_list

__all__ = [
    "import_apply",
    "import_detail",
    "import_file",
    "import_list",
    "import_rejected_rows",
    "import_restart",
    "import_template",
    "import_upload",
    "moderate_organization",
    "moderate_revision",
    "moderation_queue",
    "my_organizations",
    "organization_create",
    "organization_detail",
    "organization_edit",
    "organization_export",
    "organization_list",
]
