"""Pages of the portfolio, one module per area; the URLs name them from here."""

from investments.views.catalogue import catalogue_map, project_list, project_manage
from investments.views.files import (
    document_delete,
    document_download,
    photo,
    photo_delete,
    project_files,
)
from investments.views.investors import (
    interest_create,
    interest_terms,
    investor_list,
    investor_verify,
    my_interests,
    verification_request,
)
from investments.views.open_data import (
    oc4ids_export,
    oc4ids_import,
    oc4ids_import_apply,
    open_data,
    pitch_book,
    pitch_book_download,
    portfolio_export,
    project_passport,
    rates_apply,
    rates_page,
)
from investments.views.pipeline import (
    dashboard,
    interest_accept,
    interest_detail,
    interest_move,
    pipeline,
)
from investments.views.projects import (
    project_create,
    project_detail,
    project_edit,
    project_history,
    project_status,
)

__all__ = [
    "catalogue_map",
    "dashboard",
    "document_delete",
    "document_download",
    "interest_accept",
    "interest_create",
    "interest_detail",
    "interest_move",
    "interest_terms",
    "investor_list",
    "investor_verify",
    "my_interests",
    "oc4ids_export",
    "oc4ids_import",
    "oc4ids_import_apply",
    "open_data",
    "photo",
    "photo_delete",
    "pipeline",
    "pitch_book",
    "pitch_book_download",
    "portfolio_export",
    "project_create",
    "project_detail",
    "project_edit",
    "project_files",
    "project_history",
    "project_list",
    "project_manage",
    "project_passport",
    "project_status",
    "rates_apply",
    "rates_page",
    "verification_request",
]
