from django.urls import path

from stagebrug.matching import views

app_name = "matching"

urlpatterns = [
    # School: the coordinator runs the round
    path("scholen/<slug:slug>/rondes/", views.round_list, name="round_list"),
    path("scholen/<slug:slug>/rondes/nieuw/", views.round_create, name="round_create"),
    path("scholen/<slug:slug>/rondes/<int:pk>/", views.round_detail, name="round_detail"),
    path("scholen/<slug:slug>/rondes/<int:pk>/draaien/", views.round_run, name="round_run"),
    path(
        "scholen/<slug:slug>/rondes/<int:pk>/runs/<int:run_id>/",
        views.run_progress,
        name="run_progress",
    ),
    path(
        "scholen/<slug:slug>/rondes/<int:pk>/uitkomst/", views.round_results, name="round_results"
    ),
    path(
        "scholen/<slug:slug>/rondes/<int:pk>/publiceren/", views.round_publish, name="round_publish"
    ),
    path(
        "scholen/<slug:slug>/rondes/<int:pk>/vervolgronde/",
        views.round_follow_up,
        name="round_follow_up",
    ),
    path(
        "scholen/<slug:slug>/rondes/<int:pk>/<slug:action>/",
        views.round_action,
        name="round_action",
    ),
    # Student
    path("student/rondes/", views.student_rounds, name="student_rounds"),
    path("student/rondes/<int:pk>/", views.student_round, name="student_round"),
    # Business
    path("stageplaatsen/<int:pk>/rondes/<int:round_id>/", views.seat_ranking, name="seat_ranking"),
]
