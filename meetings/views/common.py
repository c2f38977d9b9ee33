"""What every meetings page shares: times in a zone."""


def in_zone(value, zone):
    """Wall-clock time in `zone`, naive so templates do not convert it again."""
    return value.astimezone(zone).replace(tzinfo=None) if value else None
