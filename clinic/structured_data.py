"""schema.org data about the clinic for search engines (JSON-LD), from settings and locations."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.safestring import mark_safe

from clinic.site_url import absolute_url

# Share pictures (Open Graph, Twitter, JSON-LD, feeds): the size the networks ask for.
SOCIAL_IMAGE_FILTER = "fill-1200x630|format-jpeg"

SCHEMA_DAYS = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]

# Characters that could end the <script> element or start HTML inside it.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def postal_address(location):
    address = {
        "@type": "PostalAddress",
        "streetAddress": location.street_address,
        "addressLocality": location.city,
        "addressRegion": location.region,
        "postalCode": location.postal_code,
        "addressCountry": location.country,
    }
    return {key: value for key, value in address.items() if value}


def opening_hours_specification(location):
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": SCHEMA_DAYS[weekday],
            "opens": f"{hours.opens:%H:%M}",
            "closes": f"{hours.closes:%H:%M}",
        }
        for weekday, hours in sorted(location.hours_by_weekday.items())
        if not hours.closed
    ]


def holiday_closures_specification(location, today):
    """Closed all day: schema.org's opens = closes = 00:00 for the closure's dates."""
    return [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": closure.starts_on.isoformat(),
            "validThrough": (closure.ends_on or closure.starts_on).isoformat(),
            "opens": "00:00",
            "closes": "00:00",
        }
        for closure in location.upcoming_closures(today)
    ]


def describe_location(location, today):
    data = {
        "address": postal_address(location),
        "openingHoursSpecification": opening_hours_specification(location),
    }
    if location.latitude is not None and location.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            # Five decimals: about a metre, all a map needs.
            "latitude": round(float(location.latitude), 5),
            "longitude": round(float(location.longitude), 5),
        }
    if location.map_url:
        data["hasMap"] = location.map_url
    if location.price_range:
        data["priceRange"] = location.price_range
    closures = holiday_closures_specification(location, today)
    if closures:
        data["specialOpeningHoursSpecification"] = closures
    return data


def describe_department(location, clinic_settings, today):
    data = {
        "@type": "Physiotherapy",
        "name": f"{clinic_settings.name} - {location.name}",
        **describe_location(location, today),
    }
    phone = location.phone or clinic_settings.phone
    if phone:
        data["telephone"] = phone.as_e164
    return data


def clinic_structured_data(clinic_settings, locations, site_url, logo_url=""):
    """The clinic as a schema.org Physiotherapy business.

    The first location gives the address, geo and hours; further locations are listed
    as departments so each keeps its own address and hours.
    """
    today = timezone.localdate()
    data = {
        "@context": "https://schema.org",
        "@type": "Physiotherapy",
        "name": clinic_settings.name,
        "url": site_url,
    }
    if clinic_settings.phone:
        data["telephone"] = clinic_settings.phone_tel
    if clinic_settings.email:
        data["email"] = clinic_settings.email
    if logo_url:
        data["logo"] = logo_url
        data["image"] = logo_url
    same_as = [url for _label, url in clinic_settings.social_links]
    if same_as:
        data["sameAs"] = same_as
    locations = list(locations)
    if locations:
        data.update(describe_location(locations[0], today))
    if len(locations) > 1:
        data["department"] = [
            describe_department(location, clinic_settings, today) for location in locations[1:]
        ]
    return data


def breadcrumb_list(page, ancestors, request):
    """The trail the breadcrumbs show, for search results."""
    trail = [*ancestors, page]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": "Home" if crumb.depth == 2 else crumb.title,
                "item": absolute_url(crumb.get_url(request), request),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def json_ld_script(*items):
    """<script type="application/ld+json"> elements, one per item, safe to inline.

    JSON must not be HTML-escaped inside a script element (entities are not decoded
    there), so it is marked safe once <, > and & are escaped as JSON unicode escapes:
    no value can end the element or start markup.
    """
    scripts = (
        '<script type="application/ld+json">'
        f"{json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)}"
        "</script>"
        for item in items
    )
    return mark_safe("\n".join(scripts))  # noqa: S308 - escaped above
