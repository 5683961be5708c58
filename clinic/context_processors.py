from django.utils.functional import SimpleLazyObject

from clinic.models import ClinicSettings


def clinic(request):
    """`clinic` in every template: the clinic's settings (name, phone, booking link...),
    read from the database only when a template uses them, which a page whose fragments
    are cached does not."""
    return {"clinic": SimpleLazyObject(lambda: ClinicSettings.for_request(request))}
