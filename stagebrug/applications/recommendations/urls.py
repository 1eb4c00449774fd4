from django.urls import path

from stagebrug.applications.recommendations import views

app_name = "recommend"

urlpatterns = [
    path("student/aanbevolen/", views.student_recommendations, name="student"),
    path("stageplaatsen/<int:pk>/kandidaten/", views.placement_candidates, name="candidates"),
]
