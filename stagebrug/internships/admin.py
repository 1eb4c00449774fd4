from django.contrib import admin

from stagebrug.core.admin import ReadOnlyAdmin
from stagebrug.internships.models import Internship


@admin.register(Internship)
class InternshipAdmin(ReadOnlyAdmin):
    """Read-only: internships change through their services (the parties' pages and the API),
    so capacity, notifications and the audit trail stay right."""

    list_display = ["student", "placement", "institution", "status", "start_date", "source"]
    list_filter = ["status", "source", "institution"]
    raw_id_fields = [
        "student",
        "placement",
        "programme",
        "institution",
        "supervisor",
        "buddy",
        "school_supervisor",
        "application",
        "round",
        "stopped_by",
    ]
    list_select_related = ["student", "placement", "institution"]
