"""A URLconf with broken views, to see the 500 page as a patient would and to see what an
error report carries when it breaks while handling a patient's form."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Site

handler500 = "clinic.views.server_error"


def broken_view(request):
    raise RuntimeError("simulated failure")


@csrf_exempt
def broken_form(request):
    reason = request.POST.get("reason", "")
    raise RuntimeError(f"simulated failure while saving a request of {len(reason)} characters")


def database_view(request):
    Site.objects.count()  # with the database down: OperationalError
    return HttpResponse("unreachable")


urlpatterns = [
    path("boom/", broken_view),
    path("boom/form/", broken_form),
    path("boom/database/", database_view),
]
