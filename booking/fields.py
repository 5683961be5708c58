"""An encrypted text field for health data, on `cryptography`'s Fernet.

Keys come from FIELD_ENCRYPTION_KEYS: the first encrypts, every key decrypts, so keys can
rotate (`manage.py reencrypt_requests`). A stored value that no key opens raises instead
of ever reaching a page or an export. Values are Fernet tokens in a text column, as
django-fernet-encrypted-fields wrote them before this field replaced it, so every value
written then still reads; an empty value is stored as NULL, as it was.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class UnreadableEncryptedValue(Exception):
    """No key in FIELD_ENCRYPTION_KEYS opens a stored value."""


@lru_cache(maxsize=4)
def _fernet_for(keys):
    return MultiFernet([Fernet(key) for key in keys])


def fernet():
    """The MultiFernet of the configured keys, built once per key set (not per value)."""
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None
        return fernet().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            raise UnreadableEncryptedValue(
                f"{self.model.__name__}.{self.name} cannot be decrypted with any key in "
                "FIELD_ENCRYPTION_KEYS (wrong or missing key)."
            ) from None
