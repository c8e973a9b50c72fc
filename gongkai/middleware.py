"""Project-wide middleware."""


class ChineseUnlessChosenMiddleware:
    """Serve Chinese unless the visitor chose another language on the site.

    A government site answers in its official language; English is offered by the switch in
    the page header (the language cookie) and, for staff, by their account preference in the
    admin. The browser's Accept-Language is not a choice: a citizen or an officer whose
    browser happens to be set to English must still get the Chinese site, and a cached page
    must not vary on it. So the header is dropped before LocaleMiddleware and the public page
    cache look at it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
