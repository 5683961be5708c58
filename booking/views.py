"""Scaffolding: the booking issue replaces these with the real forms."""

from django.shortcuts import render


def request_appointment(request):
    return render(request, "booking/request_form.html")


def request_guide(request):
    return render(request, "booking/guide_form.html")
