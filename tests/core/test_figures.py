from django.test import override_settings
from django.utils import translation

from core.figures import public_count


def test_counts_below_the_small_number_are_not_published():
    with translation.override("en"):
        shown = [(str(public_count(n)), public_count(n).as_data()) for n in (0, 4, 5)]

    assert shown == [("fewer than 5", "<5"), ("fewer than 5", "<5"), ("5", 5)]


@override_settings(MIST_SMALL_NUMBER=10)
def test_the_threshold_is_a_setting_and_the_text_is_ukrainian_first():
    with translation.override("uk"):
        text = str(public_count(9))

    assert (text, public_count(10).as_data()) == ("менше ніж 10", 10)
