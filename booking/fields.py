"""Encrypted model fields for health data (django-fernet-encrypted-fields, made strict).

The library derives its keys from SECRET_KEY and, when a row cannot be decrypted,
returns the stored ciphertext as if it were text. Patient data needs neither: keys come
from FIELD_ENCRYPTION_KEYS (first key encrypts, every key decrypts, so keys rotate), and
a row no key opens raises instead of ever reaching a page or an export.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from encrypted_fields import fields


class UnreadableEncryptedValue(Exception):
    """No key in FIELD_ENCRYPTION_KEYS opens a stored value."""


class EncryptedTextField(fields.EncryptedTextField):
    @property
    def keys(self):
        return [key.encode() for key in settings.FIELD_ENCRYPTION_KEYS]

    @property
    def f(self):
        return MultiFernet([Fernet(key) for key in self.keys])

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        try:
            return self.f.decrypt(value.encode()).decode()
        except InvalidToken:
            raise UnreadableEncryptedValue(
                f"{self.model.__name__}.{self.name} cannot be decrypted with any key in "
                "FIELD_ENCRYPTION_KEYS (wrong or missing key)."
            ) from None

    def to_python(self, value):
        return models.TextField.to_python(self, value)
