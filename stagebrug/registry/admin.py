from django.contrib import admin

from stagebrug.registry.models import (
    Company,
    CrohoProgramme,
    Institution,
    Location,
    Municipality,
    Postcode,
    Programme,
    Qualification,
    Recognition,
    Requirements,
    SectorCode,
    Supervisor,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "labour_market_region", "is_mra"]
    list_filter = ["is_mra", "province"]
    search_fields = ["name", "code"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "place", "municipality", "latitude", "longitude"]
    search_fields = ["code", "place"]
    list_select_related = ["municipality"]


@admin.register(SectorCode)
class SectorCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "name_nl", "name_en"]
    list_filter = ["level"]
    search_fields = ["code", "name_nl", "name_en"]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["crebo", "name", "level", "dossier_crebo", "sector_chamber"]
    list_filter = ["level", "sector_chamber"]
    search_fields = ["crebo", "name", "dossier_name"]


@admin.register(CrohoProgramme)
class CrohoProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "sector"]
    list_filter = ["level", "sector"]
    search_fields = ["code", "name"]


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


class SupervisorInline(admin.TabularInline):
    model = Supervisor
    extra = 0
    raw_id_fields = ["user"]


class RecognitionInline(admin.TabularInline):
    model = Recognition
    extra = 0
    autocomplete_fields = ["qualification"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kvk_number",
        "city",
        "employee_count",
        "is_public",
        "registration_step",
    ]
    list_filter = ["is_public", "registration_step"]
    search_fields = ["name", "kvk_number"]
    autocomplete_fields = ["sector"]
    inlines = [LocationInline, SupervisorInline, RecognitionInline]
    show_full_result_count = False


class RequirementsInline(admin.StackedInline):
    model = Requirements


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "brin", "city"]
    search_fields = ["name", "brin"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "institution",
        "kind",
        "qualification",
        "mbo_level",
        "croho",
        "is_active",
    ]
    list_filter = ["kind", "institution", "sector", "is_active"]
    search_fields = ["name", "qualification__crebo", "croho__code"]
    autocomplete_fields = ["qualification", "croho"]
    list_select_related = ["institution", "qualification", "croho"]
    inlines = [RequirementsInline]
