"""Writing the audit log."""

from core.models import AuditEntry


def record(action: str, obj, *, actor=None, **details) -> AuditEntry:
    """Append one entry to the audit log for `obj`."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        details=details,
    )
