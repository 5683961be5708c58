import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

application = get_wsgi_application()

# Each process holds the error page's contact card from the start, before any database.
from clinic import contact_card  # noqa: E402

contact_card.load()
