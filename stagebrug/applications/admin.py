from django.contrib import admin

from stagebrug.applications.models import (
    Application,
    ApplicationEvent,
    Notification,
    StudentProfile,
)
from stagebrug.core.admin import ReadOnlyAdmin, ReadOnlyInline

# Support notes are deliberately not in the admin: only the student and the supervisor of a
# confirmed placement read them (W14).


@admin.register(StudentProfile)
class StudentProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "programme", "year", "discoverable", "updated_at"]
    list_filter = ["discoverable", "programme__kind"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user", "programme", "home_pc4"]
    exclude = ["cv", "cv_token"]
    list_select_related = ["user", "programme__institution"]


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["actor", "from_status", "to_status", "reason", "created_at"]
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["student", "placement", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["student", "placement"]
    list_select_related = ["student", "placement"]
    inlines = [EventInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]
