from clinic import header_footer
from clinic.models import ClinicSettings


def clinic(request):
    """`clinic` in every template: the clinic's settings (name, phone, booking link...), and
    the version of what the header, menus and footer show, which keys their cached fragments.
    The version is read first: a fragment rendered from settings an editor replaces while
    this page renders is stored under the old version, never served again."""
    version = header_footer.version()
    return {"clinic": ClinicSettings.for_request(request), "header_footer_version": version}
