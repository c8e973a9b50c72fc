"""Where proofs of identity and information given to applicants are kept.

Not under MEDIA_ROOT: a web server configured to publish /media/ would publish ID cards. Files
here are served only by views that check who is asking.
"""

import os

from django.core.files.storage import FileSystemStorage

from . import conf


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    # Read the setting on each use so that a test can point it elsewhere.
    @property
    def base_location(self):
        return str(conf.get("GONGKAI_PRIVATE_MEDIA_ROOT"))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no public URL")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage
