import factory

from notifications.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "event"
    title = factory.Sequence(lambda n: f"Something happened {n}")
    link = "/uk/events/"
