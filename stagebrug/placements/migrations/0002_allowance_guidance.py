"""Initial allowance guidance (W5, W22). The operator maintains it in the admin afterwards."""

from decimal import Decimal

from django.db import migrations

WHITEPAPER = "Whitepaper MKB-Amsterdam, aanbeveling 5 (voorbeeld: 2 euro per uur netto)"
ASSUMED_HBO = "Aanname Stagebrug voor hbo (W22), te bevestigen door de werkgroep"

ROWS = [
    *[("mbo_bol", level, Decimal("2.00"), "hour", "net", WHITEPAPER) for level in (1, 2, 3, 4)],
    ("hbo_placement", 5, Decimal("500.00"), "month", "gross", ASSUMED_HBO),
    ("hbo_graduation", 5, Decimal("500.00"), "month", "gross", ASSUMED_HBO),
]


def seed(apps, schema_editor):
    Guidance = apps.get_model("placements", "AllowanceGuidance")
    for kind, level, amount, unit, basis, source in ROWS:
        Guidance.objects.get_or_create(
            kind=kind,
            level=level,
            defaults={"amount": amount, "unit": unit, "basis": basis, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
