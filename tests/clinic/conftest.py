import pytest

from tests.factories import (
    ContactPageFactory,
    LocationFactory,
    ServiceIndexPageFactory,
    ServicePageFactory,
    TeamPageFactory,
    clinic_settings,
)


@pytest.fixture
def clinic(home_page):
    """A small clinic: settings with a phone, one location, the main sections."""
    settings = clinic_settings(phone="+13605550142", email="frontdesk@harborpt.example")
    LocationFactory(
        name="Downtown",
        latitude="47.045123",
        longitude="-122.901634",
        price_range="$$",
        map_url="https://osm.example/x",
    )
    conditions = ServiceIndexPageFactory(parent=home_page, slug="conditions")
    return {
        "settings": settings,
        "home": home_page,
        "conditions": conditions,
        "sciatica": ServicePageFactory(parent=conditions, title="Sciatica", slug="sciatica"),
        "team": TeamPageFactory(parent=home_page, slug="team"),
        "contact": ContactPageFactory(parent=home_page, slug="contact"),
    }
