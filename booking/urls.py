from django.urls import path

from booking import patient_views, views

app_name = "booking"

urlpatterns = [
    path("book/", views.request_appointment, name="request"),
    path("book/received/<slug:reference>/", views.request_received, name="received"),
    path("book/cta/", views.cta_beacon, name="cta_beacon"),
    path("guide/", views.request_guide, name="guide"),
    path("guide/sent/", views.guide_sent, name="guide_sent"),
    path("guide/download/<str:token>/", views.guide_download, name="guide_download"),
    path(
        "appointment/<str:token>/",
        patient_views.patient_appointment,
        name="patient_appointment",
    ),
]
