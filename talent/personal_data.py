"""What talent does when a person's account is deleted (accounts.personal_data finds
this module): the specialist profile goes through the same service as "delete my
profile", so matches and aggregates forget it at once."""

from talent.models import SpecialistProfile


def before_anonymising(person) -> None:
    from talent import services

    profile = SpecialistProfile.objects.filter(user=person).first()
    if profile is not None:
        services.delete_profile(profile, by=person)
