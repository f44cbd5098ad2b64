"""Response headers that Django does not set itself."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from whitenoise.middleware import WhiteNoiseMiddleware

# A year: the longest lifetime HTTP caches honour; a hashed name changes whenever the file does.
STATIC_MAX_AGE_SECONDS = 365 * 24 * 60 * 60


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with hashed (immutable) files cached for one year rather than its ten."""

    FOREVER = STATIC_MAX_AGE_SECONDS

# Everything is served from our own origin; charts are inline SVG, so no script or style from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/explorer"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


# Paths never served from the page cache: forms, accounts, the API, the admin, files with their own cache.
PAGE_CACHE_SKIP_PREFIXES = ("/api/", "/admin/", "/accounts/", "/static/", "/login", "/logout", "/healthz")
PAGE_CACHE_SECONDS = 24 * 60 * 60
PAGE_CACHE_MAX_PATH = 300
# Each process keeps the pages it served most recently as well: a key names the data version, so a
# copy can never be stale, and a large page then costs no database read or unpickling.
LOCAL_PAGES_MAX_BYTES = 32 * 1024 * 1024


class _LocalPages:
    """A small least-recently-used store of (status, headers, content) by key, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[str, tuple[int, list[tuple[str, str]], bytes]] = OrderedDict()

    def get(self, key: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
        item = self.items.get(key)
        if item is not None:
            self.items.move_to_end(key)
        return item

    def put(self, key: str, item: tuple[int, list[tuple[str, str]], bytes]) -> None:
        if key in self.items or len(item[2]) > self.max_bytes // 4:
            return
        self.items[key] = item
        self.size += len(item[2])
        while self.size > self.max_bytes:
            _, old = self.items.popitem(last=False)
            self.size -= len(old[2])


_local_pages = _LocalPages(LOCAL_PAGES_MAX_BYTES)


def local_pages_clear() -> None:
    """Forget this process's copies (tests roll data back, so versions can repeat between them)."""
    _local_pages.items.clear()
    _local_pages.size = 0


class AnonymousPageCacheMiddleware:
    """Public pages for anonymous readers from the shared cache, keyed by the data version.

    A reader with a session cookie (signed in, or with a message waiting) always gets a fresh page;
    a page that sets a cookie (a form's CSRF token) or is not a plain 200 is never stored. Any
    write moves the data version, so a stored page is never stale and nothing is cleared by hand.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _page_cacheable_request(request):
            return self.get_response(request)
        from django.core.cache import cache

        from recovery_tracker.reports.cache import site_data_version

        # Today's date too: "overdue" and "stale evidence" depend on it.
        raw = f"{site_data_version()}|{dt.date.today()}|{request.get_full_path()}"
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        stored = _local_pages.get(key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None:
                _local_pages.put(key, stored)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _page_cacheable_response(response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in {"set-cookie", "date"}]
            stored = (response.status_code, headers, response.content)
            cache.set(key, stored, PAGE_CACHE_SECONDS)
            _local_pages.put(key, stored)
            response["X-Page-Cache"] = "miss"
        return response


def _page_cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.path.startswith(PAGE_CACHE_SKIP_PREFIXES)
        and len(request.get_full_path()) <= PAGE_CACHE_MAX_PATH
    )


def _page_cacheable_response(response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


class InputRefusalMiddleware:
    """Input no field may hold gets a 400 that says why, never a server error.

    NUL characters and lone surrogates cannot be stored (PostgreSQL refuses both, and SQLite's
    driver cannot encode a surrogate), so they are refused before any view sees them, in the
    address, in a form and in a JSON body. A value the database refuses anyway (longer than its
    column) is the client's error too: 400, never 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = _unstorable_input(request)
        if problem:
            return _refuse(request, problem)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import DataError

        if isinstance(exception, DataError):
            return _refuse(request, "A value is too long for its field or not allowed there. Shorten it and try again.")
        return None


def _unstorable_input(request: HttpRequest) -> str | None:
    for name, values in request.GET.lists():
        for value in [name, *values]:
            if problem := _text_problem(value, f"the address parameter {name[:40]!r}"):
                return problem
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method in {"POST", "PUT", "PATCH"}:
        if content_type.startswith("application/x-www-form-urlencoded"):
            # Reading a form does not disturb the upload handlers of multipart forms (not read here).
            for name, values in request.POST.lists():
                for value in [name, *values]:
                    if problem := _text_problem(value, f"the field {name[:40]!r}"):
                        return problem
        elif content_type.startswith("application/json") and request.body:
            import json

            try:
                data = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                return None  # the view says what is wrong with the JSON itself
            return _json_problem(data, "the request body")
    return None


def _text_problem(value: str, where: str) -> str | None:
    if "\x00" in value:
        return f"{where} holds a NUL character (\\u0000), which text cannot hold: remove it and try again."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return (f"{where} holds a lone surrogate (half of a UTF-16 character pair), which is not text: "
                "send the whole character, encoded as UTF-8.")
    return None


def _json_problem(data: object, where: str) -> str | None:
    if isinstance(data, str):
        return _text_problem(data, where)
    if isinstance(data, dict):
        for key, value in data.items():
            problem = _text_problem(str(key), f"a field name in {where}") or _json_problem(value, f"field {key!r}")
            if problem:
                return problem
    if isinstance(data, list):
        for value in data:
            if problem := _json_problem(value, where):
                return problem
    return None


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        import json

        return HttpResponse(json.dumps({"detail": message}), status=400, content_type="application/json")
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
