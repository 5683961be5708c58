"""A URLconf with one broken view, to see the 500 page as a patient would."""

from django.urls import path

handler500 = "clinic.views.server_error"


def broken_view(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", broken_view)]
