import pytest
from django.core.management import call_command

from stagebrug.accounts.models import Membership, Role, User
from stagebrug.demo import companies as demo
from stagebrug.registry.models import Company, Location, Recognition, Supervisor

pytestmark = pytest.mark.django_db


def test_demo_rows_pass_the_same_validation_as_user_input():
    demo.generate_companies(count=60, seed=3)
    demo.generate_students(count=30, seed=4)
    for model in (Company, Location, Supervisor, Recognition):
        for obj in model.objects.all():
            obj.full_clean()
    assert Membership.objects.filter(role=Role.STUDENT).count() == 30


def test_demo_businesses_spread_over_mra_municipalities_and_sectors():
    demo.generate_companies(count=200, seed=5)
    companies = Company.objects.filter(kvk_number__startswith="9")
    assert companies.count() == 200
    assert all(c.pc4.municipality.is_mra for c in companies.select_related("pc4__municipality"))
    assert companies.values("pc4__municipality").distinct().count() >= 10
    assert companies.values("sector").distinct().count() >= 10
    sizes = [c.employee_count for c in companies]
    assert min(sizes) >= 1 and max(sizes) <= 249 and sum(s < 5 for s in sizes) > 20


def test_generate_demo_data_creates_logins_once_and_prints_them(capsys):
    call_command("generate_demo_data", companies=5, students=5, if_empty=True)
    call_command("generate_demo_data", companies=5, students=5, if_empty=True)
    out = capsys.readouterr().out
    assert demo.DEMO_PASSWORD in out and "eigenaar@bakkerij-zuurdesem.example" in out
    assert Company.objects.filter(kvk_number__startswith="9").count() == 5
    owner = User.objects.get(email="eigenaar@bakkerij-zuurdesem.example")
    assert owner.check_password(demo.DEMO_PASSWORD)


def test_the_demo_has_an_internship_under_way_with_its_days_marked():
    from django.utils import timezone

    from stagebrug.internships.models import Internship, Status
    from stagebrug.supervision.models import Attendance, Mark, WeekSignoff

    call_command("generate_demo_data", companies=5, students=5)
    internship = Internship.objects.get(student__email="stagiair.bezig@rocva.example")
    assert internship.status == Status.ACTIVE
    assert internship.supervisor.user.email == "praktijkopleider@bakkerij-zuurdesem.example"
    assert internship.work_days.count() == 4
    marks = set(internship.attendance.values_list("mark", flat=True))
    assert {Mark.PRESENT, Mark.LATE, Mark.SICK, Mark.ABSENT} <= marks
    assert not Attendance.objects.filter(internship=internship, date__gte=timezone.localdate())
    assert WeekSignoff.objects.filter(internship=internship).count() == 3
    # The logbook: weekly check-ins by the workplace, the student's entry, the school's note;
    # the morning review looked at it, and the next check-in is due.
    from stagebrug.supervision.models import LogEntry, Progress

    kinds = sorted(LogEntry.objects.filter(internship=internship).values_list("kind", flat=True))
    assert kinds == ["checkin", "checkin", "school", "student"]
    progress = Progress.objects.get(internship=internship)
    assert progress.next_checkin_due < timezone.localdate()
    assert progress.hours_required
    assert internship.evaluations.count() == 2


def test_the_demo_has_events_lectures_a_shown_record_and_a_former_intern_in_touch():
    from stagebrug.community.models import (
        Event,
        KeepInTouch,
        LectureOffer,
        LectureRequest,
        PartnerSettings,
        Registration,
    )

    call_command("generate_demo_data", companies=5, students=5)
    assert Event.objects.filter(state="published").count() >= 4
    assert Registration.objects.filter(attended_at__isnull=False).exists()
    assert LectureOffer.objects.exists() and LectureRequest.objects.filter(told__gte=1).exists()
    assert PartnerSettings.objects.filter(show_record=True).exists()
    former = KeepInTouch.objects.get(internship__student__email="stagiair.oud@rocva.example")
    assert former.is_active and former.internship.status == "completed"
