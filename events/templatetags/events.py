"""Template helpers of the events app."""

from django import template
from django.utils import timezone

from events.timefmt import event_time_text

register = template.Library()


@register.simple_tag
def event_times(event) -> str:
    """The event's times in its zone, and in the active (viewer's) zone if different."""
    return event_time_text(event, timezone.get_current_timezone_name())
