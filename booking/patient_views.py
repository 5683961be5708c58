"""Stand-in for the patient's page (helper C's branch i12c brings the real one): the
route the patient emails link to, so their links resolve. Take i12c's file on merge."""

from django.http import HttpResponse


def patient_appointment(request, token):
    return HttpResponse(status=204)
