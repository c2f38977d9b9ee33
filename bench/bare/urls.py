from django.urls import path

from bench.bare import views

urlpatterns = [
    path("bare/", views.organizations_html),
    path("bare.json", views.organizations_json),
    path("bare/hello/", views.hello),
]
