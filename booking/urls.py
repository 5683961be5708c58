from django.urls import path

from booking import views

app_name = "booking"

urlpatterns = [
    path("book/", views.request_appointment, name="request"),
    path("guide/", views.request_guide, name="guide"),
]
