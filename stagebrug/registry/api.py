"""Registry API: read the public registry; manage your own company."""

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from stagebrug.accounts import permissions as perms
from stagebrug.accounts.api_auth import AUTH
from stagebrug.core.api import Pagination
from stagebrug.core.schemas import ERRORS, ErrorOut
from stagebrug.registry import selectors, services
from stagebrug.registry.models import (
    Company,
    Institution,
    Location,
    Programme,
    Qualification,
    Recognition,
    Requirements,
    SectorCode,
    Supervisor,
)

router = Router(tags=["registry"])


# --------------------------------------------------------------------------------------------
# Schemas


class InstitutionOut(Schema):
    id: int
    name: str
    short_name: str
    slug: str
    kind: str
    brin: str
    website: str
    city: str
    source_note: str


class RequirementsOut(Schema):
    min_employees: int | None
    supervisor_min_level: int | None
    supervisor_same_sector: bool
    min_supervision_hours_per_week: float | None
    hours_per_week_min: int | None
    hours_per_week_max: int | None
    duration_weeks_min: int | None
    duration_weeks_max: int | None
    start_months: list[int]
    learning_outcomes: list[str]
    allowance_guidance_eur: float | None
    allowance_guidance_unit: str
    allowance_note: str
    notes: str


class ContactOut(Schema):
    name: str
    role: str
    email: str
    phone: str


class ProgrammeOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    institution: str = Field(..., alias="institution.slug")
    institution_name: str = Field(..., alias="institution.name")
    crebo: str | None = Field(None, alias="qualification_id")
    mbo_level: int | None
    croho: str | None = Field(None, alias="croho_id")
    hbo_level: str
    sector: str
    learning_paths: str
    city: str
    summary: str
    contact: ContactOut
    requirements: RequirementsOut | None
    source_note: str

    @staticmethod
    def resolve_contact(obj: Programme) -> dict[str, str]:
        return {
            "name": obj.contact_name,
            "role": obj.contact_role,
            "email": obj.contact_email,
            "phone": obj.contact_phone,
        }

    @staticmethod
    def resolve_requirements(obj: Programme) -> Requirements | None:
        return getattr(obj, "requirements", None)


class QualificationOut(Schema):
    crebo: str
    name: str
    level: int
    level_name: str
    learning_paths: str
    dossier_crebo: str
    dossier_name: str
    sector_chamber: str


class CompanyPublicOut(Schema):
    id: int
    name: str
    kvk_number: str
    city: str
    municipality: str | None
    sector: str = Field(..., alias="sector_id")
    sector_name: str
    employee_count: int
    website: str
    description: str

    @staticmethod
    def resolve_municipality(obj: Company) -> str | None:
        return obj.pc4.municipality.name if obj.pc4 and obj.pc4.municipality else None

    @staticmethod
    def resolve_sector_name(obj: Company) -> str:
        return obj.sector.name


class CompanyOut(CompanyPublicOut):
    street: str
    house_number: str
    postcode: str
    is_public: bool
    registration_step: str


class CompanyIn(Schema):
    kvk_number: str
    name: str
    street: str
    house_number: str
    postcode: str
    city: str
    sector: str = Field(..., description="SBI 2025 code, e.g. 62 or 6201")
    employee_count: int
    website: Annotated[str, Field(max_length=200)] = ""
    description: Annotated[str, Field(max_length=4000)] = ""
    is_public: bool = False


class CompanyPatch(Schema):
    kvk_number: str | None = None
    name: str | None = None
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    city: str | None = None
    sector: str | None = None
    employee_count: int | None = None
    website: Annotated[str, Field(max_length=200)] | None = None
    description: Annotated[str, Field(max_length=4000)] | None = None
    is_public: bool | None = None


class LocationOut(Schema):
    id: int
    name: str
    street: str
    house_number: str
    postcode: str
    city: str
    is_main: bool
    municipality: str | None
    latitude: float | None = Field(None, alias="pc4.latitude")
    longitude: float | None = Field(None, alias="pc4.longitude")

    @staticmethod
    def resolve_municipality(obj: Location) -> str | None:
        return obj.pc4.municipality.name if obj.pc4 and obj.pc4.municipality else None


class LocationIn(Schema):
    name: str
    street: str
    house_number: str
    postcode: str
    city: str
    is_main: bool = False


class LocationPatch(Schema):
    name: str | None = None
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    city: str | None = None
    is_main: bool | None = None


class SupervisorOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    job_title: str
    education_level: int
    education_sector: str
    education_name: str


class SupervisorIn(Schema):
    name: str
    email: str
    phone: str = ""
    job_title: str = ""
    education_level: int
    education_sector: str
    education_name: str = ""


class SupervisorPatch(Schema):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    job_title: str | None = None
    education_level: int | None = None
    education_sector: str | None = None
    education_name: str | None = None


class RecognitionOut(Schema):
    id: int
    leerbedrijf_id: str
    crebo: str = Field(..., alias="qualification_id")
    qualification_name: str = Field(..., alias="qualification.name")
    level: int
    valid_from: dt.date
    valid_until: dt.date


class RecognitionIn(Schema):
    leerbedrijf_id: str
    crebo: str
    level: int | None = None
    valid_from: dt.date
    valid_until: dt.date | None = None


class RecognitionPatch(Schema):
    leerbedrijf_id: str | None = None
    crebo: str | None = None
    level: int | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class RequirementsIn(Schema):
    min_employees: int | None = None
    supervisor_min_level: int | None = None
    supervisor_same_sector: bool = False
    min_supervision_hours_per_week: float | None = None
    hours_per_week_min: int | None = None
    hours_per_week_max: int | None = None
    duration_weeks_min: int | None = None
    duration_weeks_max: int | None = None
    start_months: list[int] = []
    learning_outcomes: list[Annotated[str, Field(max_length=300)]] = Field([], max_length=30)
    allowance_guidance_eur: float | None = Field(None, ge=0, le=100_000)
    allowance_guidance_unit: str = "month"
    allowance_note: Annotated[str, Field(max_length=300)] = ""
    notes: Annotated[str, Field(max_length=4000)] = ""


# --------------------------------------------------------------------------------------------
# Input conversion: codes in the API become objects for the services (unknown code → 400)


def _lookup(model, field: str, value: Any, message: str):
    from django.core.exceptions import ValidationError

    obj = model.objects.filter(pk=value).first()
    if obj is None:
        raise ValidationError({field: [message]})
    return obj


def _company_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "sector" in data:
        data["sector"] = _lookup(SectorCode, "sector", data["sector"], _("Unknown SBI code."))
    return data


def _recognition_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "crebo" in data:
        data["qualification"] = _lookup(
            Qualification, "crebo", data.pop("crebo"), _("Unknown crebo code.")
        )
    return data


def _data(payload: Schema, *, partial: bool) -> dict[str, Any]:
    return payload.dict(exclude_unset=partial)


# --------------------------------------------------------------------------------------------
# Public reads


class InstitutionFilter(Schema):
    q: str | None = None
    kind: str | None = None


@router.get("/institutions", response=list[InstitutionOut], auth=None)
@paginate(Pagination)
def list_institutions(request: HttpRequest, filters: Query[InstitutionFilter]):
    qs = selectors.institution_list()
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs


@router.get("/institutions/{slug}", response={200: InstitutionOut, 404: ErrorOut}, auth=None)
def get_institution(request: HttpRequest, slug: str):
    return get_object_or_404(Institution, slug=slug)


class ProgrammeFilter(Schema):
    q: str | None = None
    institution: str | None = Field(None, description="Institution slug or BRIN code")
    kind: str | None = None
    sector: str | None = None
    level: int | None = Field(None, description="MBO level 1-4")


@router.get("/programmes", response=list[ProgrammeOut], auth=None)
@paginate(Pagination)
def list_programmes(request: HttpRequest, filters: Query[ProgrammeFilter]):
    return selectors.programme_list(**filters.dict())


@router.get("/programmes/{programme_id}", response={200: ProgrammeOut, 404: ErrorOut}, auth=None)
def get_programme(request: HttpRequest, programme_id: int):
    return get_object_or_404(selectors.programme_list(active_only=False), pk=programme_id)


@router.put(
    "/programmes/{programme_id}/requirements",
    response={200: RequirementsOut, **ERRORS},
    auth=AUTH,
)
def put_requirements(request: HttpRequest, programme_id: int, payload: RequirementsIn):
    """Replace a programme's placement requirements (its school's coordinators only)."""
    programme = get_object_or_404(Programme.objects.select_related("institution"), pk=programme_id)
    if not perms.can_edit_institution(request.user, programme.institution):
        raise Http404
    return services.requirements_update(programme=programme, by=request.user, **payload.dict())


class QualificationFilter(Schema):
    q: str | None = None
    level: int | None = None
    sector_chamber: str | None = None


@router.get("/qualifications", response=list[QualificationOut], auth=None)
@paginate(Pagination)
def list_qualifications(request: HttpRequest, filters: Query[QualificationFilter]):
    return selectors.qualification_list(**filters.dict())


@router.get("/qualifications/{crebo}", response={200: QualificationOut, 404: ErrorOut}, auth=None)
def get_qualification(request: HttpRequest, crebo: str):
    return get_object_or_404(Qualification, pk=crebo)


class CompanyFilter(Schema):
    q: str | None = None
    municipality: str | None = Field(None, description="Municipality name or CBS code")
    sector: str | None = Field(None, description="SBI code")


@router.get("/companies", response=list[CompanyPublicOut], auth=None)
@paginate(Pagination)
def list_companies(request: HttpRequest, filters: Query[CompanyFilter]):
    """Companies that chose to be in the public directory."""
    return selectors.company_public_list(**filters.dict())


@router.get("/companies/{company_id}", response={200: CompanyPublicOut, 404: ErrorOut}, auth=None)
def get_company(request: HttpRequest, company_id: int):
    company = selectors.company_get_for_view(user=request.user, pk=company_id)
    if company is None:
        raise Http404
    return company


# --------------------------------------------------------------------------------------------
# Your own companies


def _own_company(request: HttpRequest, company_id: int, *, edit: bool = True) -> Company:
    return selectors.company_to_edit(user=request.user, pk=company_id, edit=edit)


@router.get("/me/companies", response=list[CompanyOut], auth=AUTH)
@paginate(Pagination)
def my_companies(request: HttpRequest):
    return selectors.company_visible_list(user=request.user)


@router.post("/companies", response={201: CompanyOut, **ERRORS}, auth=AUTH)
def create_company(request: HttpRequest, payload: CompanyIn):
    """Register a business; you become its owner."""
    company = services.company_register(
        by=request.user, **_company_fields(_data(payload, partial=False))
    )
    return Status(201, company)


@router.patch("/companies/{company_id}", response={200: CompanyOut, **ERRORS}, auth=AUTH)
def update_company(request: HttpRequest, company_id: int, payload: CompanyPatch):
    company = _own_company(request, company_id)
    return services.company_update(
        company=company, by=request.user, **_company_fields(_data(payload, partial=True))
    )


@router.get("/companies/{company_id}/private", response={200: CompanyOut, **ERRORS}, auth=AUTH)
def get_own_company(request: HttpRequest, company_id: int):
    return _own_company(request, company_id, edit=False)


# Locations ----------------------------------------------------------------------------------


@router.get(
    "/companies/{company_id}/locations", response={200: list[LocationOut], **ERRORS}, auth=AUTH
)
def list_locations(request: HttpRequest, company_id: int):
    company = _own_company(request, company_id, edit=False)
    return company.locations.select_related("pc4__municipality")


@router.post("/companies/{company_id}/locations", response={201: LocationOut, **ERRORS}, auth=AUTH)
def create_location(request: HttpRequest, company_id: int, payload: LocationIn):
    company = _own_company(request, company_id)
    return Status(201, services.location_create(company=company, by=request.user, **payload.dict()))


def _child(company: Company, related: str, obj_id: int):
    obj = getattr(company, related).filter(pk=obj_id).first()
    if obj is None:
        raise Http404
    obj.company = company
    return obj


@router.patch(
    "/companies/{company_id}/locations/{location_id}",
    response={200: LocationOut, **ERRORS},
    auth=AUTH,
)
def update_location(
    request: HttpRequest, company_id: int, location_id: int, payload: LocationPatch
):
    location = _child(_own_company(request, company_id), "locations", location_id)
    return services.location_update(
        location=location, by=request.user, **_data(payload, partial=True)
    )


@router.delete(
    "/companies/{company_id}/locations/{location_id}", response={204: None, **ERRORS}, auth=AUTH
)
def delete_location(request: HttpRequest, company_id: int, location_id: int):
    location = _child(_own_company(request, company_id), "locations", location_id)
    services.location_delete(location=location, by=request.user)
    return Status(204, None)


# Supervisors --------------------------------------------------------------------------------


@router.get(
    "/companies/{company_id}/supervisors", response={200: list[SupervisorOut], **ERRORS}, auth=AUTH
)
def list_supervisors(request: HttpRequest, company_id: int):
    return _own_company(request, company_id, edit=False).supervisors.all()


@router.post(
    "/companies/{company_id}/supervisors", response={201: SupervisorOut, **ERRORS}, auth=AUTH
)
def create_supervisor(request: HttpRequest, company_id: int, payload: SupervisorIn):
    company = _own_company(request, company_id)
    return Status(
        201, services.supervisor_create(company=company, by=request.user, **payload.dict())
    )


@router.patch(
    "/companies/{company_id}/supervisors/{supervisor_id}",
    response={200: SupervisorOut, **ERRORS},
    auth=AUTH,
)
def update_supervisor(
    request: HttpRequest, company_id: int, supervisor_id: int, payload: SupervisorPatch
):
    supervisor: Supervisor = _child(_own_company(request, company_id), "supervisors", supervisor_id)
    return services.supervisor_update(
        supervisor=supervisor, by=request.user, **_data(payload, partial=True)
    )


@router.delete(
    "/companies/{company_id}/supervisors/{supervisor_id}", response={204: None, **ERRORS}, auth=AUTH
)
def delete_supervisor(request: HttpRequest, company_id: int, supervisor_id: int):
    supervisor = _child(_own_company(request, company_id), "supervisors", supervisor_id)
    services.supervisor_delete(supervisor=supervisor, by=request.user)
    return Status(204, None)


# Recognitions -------------------------------------------------------------------------------


@router.get(
    "/companies/{company_id}/recognitions",
    response={200: list[RecognitionOut], **ERRORS},
    auth=AUTH,
)
def list_recognitions(request: HttpRequest, company_id: int):
    return _own_company(request, company_id, edit=False).recognitions.select_related(
        "qualification"
    )


@router.post(
    "/companies/{company_id}/recognitions", response={201: RecognitionOut, **ERRORS}, auth=AUTH
)
def create_recognition(request: HttpRequest, company_id: int, payload: RecognitionIn):
    company = _own_company(request, company_id)
    data = _recognition_fields(_data(payload, partial=False))
    return Status(201, services.recognition_create(company=company, by=request.user, **data))


@router.patch(
    "/companies/{company_id}/recognitions/{recognition_id}",
    response={200: RecognitionOut, **ERRORS},
    auth=AUTH,
)
def update_recognition(
    request: HttpRequest, company_id: int, recognition_id: int, payload: RecognitionPatch
):
    recognition: Recognition = _child(
        _own_company(request, company_id), "recognitions", recognition_id
    )
    data = _recognition_fields(_data(payload, partial=True))
    return services.recognition_update(recognition=recognition, by=request.user, **data)


@router.delete(
    "/companies/{company_id}/recognitions/{recognition_id}",
    response={204: None, **ERRORS},
    auth=AUTH,
)
def delete_recognition(request: HttpRequest, company_id: int, recognition_id: int):
    recognition = _child(_own_company(request, company_id), "recognitions", recognition_id)
    services.recognition_delete(recognition=recognition, by=request.user)
    return Status(204, None)
