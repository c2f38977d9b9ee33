"""Private file storage: documents served only through a permission-checked view."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT (read at run time, so tests can move
    it), never served by the web server directly."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", "var/private"))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage
