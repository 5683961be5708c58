"""What search engines and social networks read about an article: JSON-LD and share images."""

from clinic.models import ClinicSettings
from clinic.site_url import absolute_url
from clinic.structured_data import SOCIAL_IMAGE_FILTER


def share_rendition(image):
    """The picture shared with an article (social networks, feed readers), or None."""
    return image.get_rendition(SOCIAL_IMAGE_FILTER) if image else None


def absolute(request, url):
    return absolute_url(url, request)


def person(therapist, request):
    data = {"@type": "Person", "name": therapist.name}
    if therapist.credentials:
        data["honorificSuffix"] = therapist.credentials
    if therapist.job_title:
        data["jobTitle"] = therapist.job_title
    if therapist.team_page_id and therapist.team_page.live:
        data["url"] = absolute(request, therapist.team_page.get_url(request))
    return data


def publisher(request):
    clinic = ClinicSettings.for_request(request)
    data = {"@type": "MedicalClinic", "name": clinic.name, "url": absolute(request, "/")}
    if clinic.phone:
        data["telephone"] = clinic.phone_tel
    if clinic.logo_id:
        logo = clinic.logo.get_rendition("max-600x600|format-png")
        data["logo"] = {
            "@type": "ImageObject",
            "url": absolute(request, logo.url),
            "width": logo.width,
            "height": logo.height,
        }
    return data


def article_page(page, request, social_image):
    """A MedicalWebPage (reviewedBy, lastReviewed belong to web pages) whose main entity is
    the BlogPosting itself."""
    url = absolute(request, page.get_url(request))
    posting = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "headline": page.title,
        "description": page.search_description or page.intro,
        "datePublished": page.date_published.isoformat(),
        "author": [person(author, request) for author in page.authors],
        "publisher": publisher(request),
        "mainEntityOfPage": url,
        "articleSection": [category.name for category in page.topics],
        "keywords": [tag.name for tag in page.keywords],
    }
    if page.last_published_at:
        posting["dateModified"] = page.last_published_at.isoformat()
    if social_image is not None:
        posting["image"] = {
            "@type": "ImageObject",
            "url": absolute(request, social_image.url),
            "width": social_image.width,
            "height": social_image.height,
        }
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": page.seo_title or page.title,
        "mainEntity": posting,
    }
    if page.reviewed_by_id:
        data["reviewedBy"] = person(page.reviewed_by, request)
    if page.last_reviewed:
        data["lastReviewed"] = page.last_reviewed.isoformat()
    return data
