from django.contrib import admin

from stagebrug.core.admin import ReadOnlyAdmin, ReadOnlyInline
from stagebrug.placements.models import (
    AllowanceGuidance,
    Placement,
    PlacementEvent,
    PlacementProgramme,
)


@admin.register(AllowanceGuidance)
class AllowanceGuidanceAdmin(admin.ModelAdmin):
    """The operator maintains the allowance guidance (W5, W22), always with a source."""

    list_display = ["kind", "level", "amount", "unit", "basis", "source", "updated_at"]
    list_filter = ["kind"]


class TargetInline(ReadOnlyInline):
    model = PlacementProgramme
    extra = 0
    raw_id_fields = ["programme", "decided_by"]
    readonly_fields = ["verdicts"]


class EventInline(ReadOnlyInline):
    model = PlacementEvent
    extra = 0
    readonly_fields = ["actor", "action", "programme", "note", "changes", "created_at"]
    can_delete = False


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["title", "company", "status", "kind", "quality_score", "published_at"]
    list_filter = ["status", "kind", "is_duo", "side_job"]
    search_fields = ["title", "company__name"]
    raw_id_fields = ["company", "location", "buddy", "created_by", "municipality"]
    readonly_fields = ["search_text", "quality_score", "monthly_allowance", "earliest_start"]
    list_select_related = ["company"]
    inlines = [TargetInline, EventInline]
    show_full_result_count = False
