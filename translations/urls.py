from core.routing import routes
from translations import views

app_name = "translations"

urlpatterns = [
    *routes(
        "submissions/<int:pk>/",
        ("approve/", views.submission_approve, "submission-approve"),
        ("flag/", views.submission_flag, "submission-flag"),
    ),
]
