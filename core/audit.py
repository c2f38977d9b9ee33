"""Writing the audit log."""

from core.models import AuditEntry


def record_each(action: str, objects, *, actor=None, details_of) -> list[AuditEntry]:
    """One entry per object, written in one statement: `details_of(obj)` gives
    each entry's details."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            details=details_of(obj),
        )
        for obj in objects
    )


def record(action: str, obj, *, actor=None, **details) -> AuditEntry:
    """Append one entry to the audit log for `obj`."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        details=details,
    )
