from django.urls import path

from stagebrug.applications import views

app_name = "applications"

urlpatterns = [
    path("student/profiel/", views.profile_edit, name="profile"),
    path("student/profiel/cv-verwijderen/", views.profile_cv_remove, name="cv_remove"),
    path("studenten/<int:user_id>/cv/", views.cv_download, name="cv"),
    path("studenten/<int:user_id>/notities/", views.support_note_add, name="note_add"),
    path("stages/<int:pk>/solliciteren/", views.apply, name="apply"),
    path("sollicitaties/", views.my_applications, name="mine"),
    path("sollicitaties/<int:pk>/", views.application_detail, name="detail"),
    path("sollicitaties/<int:pk>/bericht/", views.application_message, name="message"),
    path("sollicitaties/<int:pk>/gesprek/", views.interview_propose, name="interview"),
    path("sollicitaties/<int:pk>/<slug:action>/", views.application_action, name="action"),
    path("gesprekken/<int:pk>/agenda.ics", views.interview_ics, name="ics"),
    path(
        "stageplaatsen/<int:pk>/sollicitaties/", views.placement_applications, name="placement_list"
    ),
    path("meldingen/", views.inbox, name="inbox"),
    path("scholen/<slug:slug>/studenten/", views.school_students, name="school_students"),
]
