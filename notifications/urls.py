from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("bell/", views.bell, name="bell"),
    path("read-all/", views.mark_all_read, name="mark-all-read"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
