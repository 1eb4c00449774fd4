from django.contrib import admin

from stagebrug.core.admin import ReadOnlyAdmin
from stagebrug.internships.models import Internship


@admin.register(Internship)
class InternshipAdmin(ReadOnlyAdmin):
    list_display = ["student", "placement", "source", "start_date", "created_at"]
    list_filter = ["source"]
    raw_id_fields = ["student", "placement", "supervisor", "application", "round"]
    list_select_related = ["student", "placement"]
