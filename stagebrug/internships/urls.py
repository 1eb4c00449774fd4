from django.urls import path

from stagebrug.internships import views

app_name = "internships"

urlpatterns = [
    path("stagiairs/<int:pk>/", views.internship_detail, name="detail"),
    path("stagiairs/<int:pk>/begeleiders/", views.internship_supervisors, name="supervisors"),
    path("stagiairs/<int:pk>/stagedocent/", views.internship_school_supervisor, name="school"),
    path("stagiairs/<int:pk>/afspraken/", views.internship_dates, name="dates"),
    path("stagiairs/<int:pk>/stoppen/", views.internship_stop, name="stop"),
    path("stagiairs/<int:pk>/<slug:action>/", views.internship_status, name="status"),
    path("scholen/<slug:slug>/stagiairs/", views.school_list, name="school_list"),
    path("bedrijven/<int:company_id>/stagiairs/", views.company_list, name="company_list"),
    path("student/stage/", views.my_internships, name="mine"),
]
