from django.http import HttpResponsePermanentRedirect
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

WORDPRESS_QUERIES = {"p", "page_id", "feed", "author"}


class WordPressQueryRedirectMiddleware:
    """Old WordPress addresses such as /?p=120 or /?author=2 reach the home page, which
    answers 200, so Wagtail's redirect middleware (it acts on 404s only) never sees them:
    their redirects, made by the WordPress import, are followed here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and WORDPRESS_QUERIES & request.GET.keys():
            path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
            redirect = get_redirect(request, path)
            if redirect is not None and redirect.link:
                return HttpResponsePermanentRedirect(redirect.link)
        return self.get_response(request)
