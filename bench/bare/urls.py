from django.urls import path

from bench.bare import views

urlpatterns = [
    path("bare/", views.organizations_html),
    path("bare.json", views.organizations_json),
    path("bare/hello/", views.hello),
    path("bare/login/", views.login),
    # Counterparts of Mist's pages (bench/bench_production_load.py PAGES).
    path("bare/directory/", views.organizations_html),
    path("bare/directory/o/<slug:slug>/", views.organization),
    path("bare/investments/", views.projects_html),
    path("bare/investments/projects/<slug:slug>/", views.project),
    path("bare/events/", views.events_html),
    path("bare/events/e/<slug:slug>/", views.event),
    path("bare/submissions/<int:pk>/", views.submission),
    path("bare/reviews/submissions/<int:pk>/", views.review_form),
    path("bare/reviews/calls/<slug:slug>/", views.dashboard),
    path("bare/api/organizations.json", views.organizations_json),
    path("bare/api/investment-projects.json", views.projects_json),
    path("bare/api/events.json", views.events_json),
]
