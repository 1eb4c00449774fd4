from django.urls import path

from stagebrug.agreements import views

app_name = "agreements"

urlpatterns = [
    path("stagiairs/<int:pk>/overeenkomst/", views.agreement_page, name="page"),
    path("stagiairs/<int:pk>/overeenkomst/opstellen/", views.agreement_draft, name="draft"),
    path("stagiairs/<int:pk>/overeenkomst/versturen/", views.agreement_send, name="send"),
    path("stagiairs/<int:pk>/overeenkomst/ondertekenen/", views.agreement_sign, name="sign"),
    path("stagiairs/<int:pk>/overeenkomst/ondertekenaar/", views.agreement_invite, name="invite"),
    path(
        "stagiairs/<int:pk>/overeenkomst/versies/<int:number>/",
        views.version_detail,
        name="version",
    ),
    path(
        "stagiairs/<int:pk>/overeenkomst/versies/<int:number>/pdf/",
        views.version_pdf,
        name="pdf",
    ),
    path(
        "stagiairs/<int:pk>/overeenkomst/<slug:action>/bevestigen/",
        views.agreement_change,
        name="change",
    ),
    path("stagiairs/<int:pk>/overeenkomst/<slug:key>/", views.section_edit, name="section"),
    path("ondertekenen/<str:token>/", views.link_sign, name="link_sign"),
    path("overeenkomst-controleren/", views.verify, name="verify"),
    path("scholen/<slug:slug>/overeenkomsten/", views.school_list, name="school_list"),
]
