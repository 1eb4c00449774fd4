from django.urls import path

from stagebrug.community import views
from stagebrug.community.aftercare import views as aftercare
from stagebrug.community.lectures import views as lectures
from stagebrug.community.partnership import views as partnership

app_name = "community"

urlpatterns = [
    path("evenementen/", views.event_list, name="events"),
    path("evenementen/agenda.ics", views.event_feed, name="feed"),
    path("evenementen/nieuw/", views.event_new, name="event_new"),
    path("evenementen/<int:pk>/", views.event_page, name="event"),
    path("evenementen/<int:pk>/agenda.ics", views.event_ics, name="event_ics"),
    path("evenementen/<int:pk>/aanmelden/", views.sign_up, name="sign_up"),
    path("evenementen/<int:pk>/afmelden/", views.cancel_place, name="cancel_place"),
    path("evenementen/<int:pk>/wijzigen/", views.event_edit, name="event_edit"),
    path("evenementen/<int:pk>/annuleren/", views.event_cancel, name="event_cancel"),
    path("evenementen/<int:pk>/deur/", views.door, name="door"),
    *lectures.urlpatterns,
    *partnership.urlpatterns,
    *aftercare.urlpatterns,
]
