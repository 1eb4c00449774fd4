"""The audit log: every service that changes data records who did it (privacy: log who changed
what)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from stagebrug.core.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime, Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of `fields`, in a JSON-friendly form, to diff after an update."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _event(*, actor: Any, action: str, obj: models.Model, changes: dict | None) -> AuditEvent:
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
    )


def audit_log_many(
    *, actor: Any, action: str, changes: list[tuple[models.Model, dict[str, Any]]]
) -> None:
    """Record the same change of many objects in one insert (a round placing a cohort)."""
    AuditEvent.objects.bulk_create(
        [_event(actor=actor, action=action, obj=obj, changes=c) for obj, c in changes],
        batch_size=1000,
    )


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one change. `actor` may be None for system work (imports, scheduled jobs)."""
    event = _event(actor=actor, action=action, obj=obj, changes=changes)
    event.save()
    return event
