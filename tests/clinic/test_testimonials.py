"""Testimonials are patients' words: shown only with their written consent."""

from clinic import models as clinic_models
from tests.factories import PatientTestimonialFactory


def test_only_testimonials_with_consent_are_published(db):
    shown = PatientTestimonialFactory(patient_name="Linda R.")
    PatientTestimonialFactory(patient_name="Not yet", has_consent=False)
    assert list(clinic_models.Testimonial.objects.published()) == [shown]


def test_testimonial_is_listed_by_name_and_opening_words(db):
    testimonial = PatientTestimonialFactory(
        patient_name="Marcus T.",
        quote="Daniel got me from dreading the stairs to finishing my first 10k race.",
    )
    assert str(testimonial) == "Marcus T.: Daniel got me from dreading the stairs to…"


def test_staff_find_testimonials_in_the_admin(client, admin_user):
    PatientTestimonialFactory(patient_name="Priya S.", treated_for="Neck pain")
    client.force_login(admin_user)
    response = client.get("/admin/snippets/clinic/testimonial/")
    assert response.status_code == 200
    assert "Priya S." in response.content.decode()
