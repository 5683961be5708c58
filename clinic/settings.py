"""Settings for the clinic site, read from the environment only.

Production and development differ only in environment values; see README.md and
.env.example for every variable.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


DEBUG = env_bool("DEBUG")

# Only `make run` and similar local use may fall back to a development key.
DEV_SECRET_KEY = "insecure-development-key-only-for-DEBUG-on-a-laptop"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure")
    or SECRET_KEY == DEV_SECRET_KEY
):
    raise SystemExit(
        "Refusing to start: DEBUG is off and SECRET_KEY is missing or weak "
        "(set it to a random value of 50+ characters, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
    )
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "clinic",
    "blog",
    "booking",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]
# Demo content (`manage.py load_demo`) is for trying the product, never for production.
DEMO = env_bool("DEMO", DEBUG)
if DEMO:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "clinic.security.PermissionsPolicyMiddleware",
    "clinic.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed per response (Django's BREACH mitigation pads each one), outside
    # the page cache so it stores plain HTML; static files are compressed by WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    "clinic.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into its 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "clinic.context_processors.clinic",
            ],
        },
    },
]

# Database: an embedded SQLite file for a laptop, PostgreSQL everywhere real.
# A short connect timeout lets the site fail fast (static 500 page) when the DB is down.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 2
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every web process), else local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to "no cache" rather than 500s while Redis is down.
            "BACKEND": "clinic.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "clinic",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered template fragments ({% fragment %}), in each process's own memory: a hit costs
# no network round trip, and the shared content generation in "default" keeps every
# process's copies right.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": env_int("FRAGMENT_CACHE_ENTRIES", 5000)},
}

# Full-page cache for anonymous visitors (clinic/page_cache.py). On by default in production
# when the cache is shared (Redis): with local memory each process would invalidate alone.
PAGE_CACHE = env_bool("PAGE_CACHE", not DEBUG and bool(REDIS_URL))
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Template fragments (header, footer, an article's body...) rendered once per content
# generation and kept PAGE_CACHE_SECONDS at most; for anonymous visitors, never previews.
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", not DEBUG and bool(REDIS_URL))
# Above 0: lets a CDN keep anonymous pages this long (s-maxage). Content changes then take
# up to this long to show there, unless the CDN is purged on publish.
PAGE_CACHE_CDN_SECONDS = env_int("PAGE_CACHE_CDN_SECONDS", 0)
# Views whose anonymous responses may be stored (URL names).
PAGE_CACHE_VIEWS = ["wagtail_serve", "sitemap", "blog:search"]
# Models (app labels or app.model) whose changes never show on a public page; saving any
# other model empties the page cache.
PAGE_CACHE_IGNORED_MODELS = [
    "sessions",
    "django_tasks_db",
    "wagtailadmin.editingsession",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    "wagtailusers.userprofile",
    "axes",
    # Appointment requests, guide leads, click counts, emails: never on a public page, and
    # written by every patient's visit, so they must not empty the cache.
    "booking",
]

AUTHENTICATION_BACKENDS = [
    "clinic.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Verify (and upgrade on login) hashes made before argon2 was the default.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

# Static files: hashed, compressed names served by WhiteNoise (run collectstatic).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "clinic" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible media storage; credentials come from the AWS_* variables boto3 reads.
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: SMTP when EMAIL_HOST is set; the console in development.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_HOST = "localhost"
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "clinic@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the front desk receives "new appointment request" notices.
CLINIC_NOTIFY_EMAIL = os.environ.get("CLINIC_NOTIFY_EMAIL", DEFAULT_FROM_EMAIL)

# Background tasks: Wagtail's own housekeeping runs inline; the clinic's emails go
# through the database queue so a worker retries them when the mail server is down.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "outbox": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

# Security. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER_NAME so Django
# trusts the proxy's scheme header (e.g. HTTP_X_FORWARDED_PROTO).
if os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER_NAME"], "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail lets its own preview be framed by the admin.

# Content-Security-Policy (django-csp). Scripts only from this origin or carrying the
# request's nonce (`<script nonce="{{ request.csp_nonce }}">`). Inline styles stay
# allowed: the static 500 page carries its own <style>, and Wagtail's userbar and admin
# set style attributes. See clinic/security.py for the admin and preview exceptions.
EMBED_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
MEDIA_ORIGINS = []
if AWS_STORAGE_BUCKET_NAME:
    media_options = default_storage["OPTIONS"]
    if media_options["custom_domain"]:
        MEDIA_ORIGINS = [f"https://{media_options['custom_domain']}"]
    elif media_options["endpoint_url"]:
        endpoint = urlsplit(media_options["endpoint_url"])
        MEDIA_ORIGINS = [f"{endpoint.scheme}://{endpoint.netloc}"]
    else:
        MEDIA_ORIGINS = ["https://*.amazonaws.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "media-src": [SELF, *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *EMBED_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    }
}
# The Wagtail admin initialises widgets with inline scripts that carry no nonce,
# previews uploads from blob: URLs and shows embed thumbnails from the video sites.
ADMIN_CSP_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", "https:"],
}
# Browser features the site never uses are off, for it and for embedded players.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self", *(f'"{origin}"' for origin in EMBED_ORIGINS)],
}

# Number of reverse proxies in front of the site that append to X-Forwarded-For; the
# client's address for lockouts and rate limits is read from there (clinic.security).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Admin sign-in: after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is locked out for the cool-off (an attacker cannot lock a real user
# out from elsewhere). A success resets the count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "clinic.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "wagtailadmin/lockout.html"

# Django refuses request bodies past this; the page editor needs many fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # One line per background task state change is noise; failures still show.
    "loggers": {"django_tasks": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Front desk (booking app): appointment requests and free-guide leads.
BOOKING_HORIZON_DAYS = env_int("BOOKING_HORIZON_DAYS", 60)
BOOKING_OVERDUE_BUSINESS_HOURS = env_int("BOOKING_OVERDUE_BUSINESS_HOURS", 4)
BOOKING_RETENTION_DAYS = env_int("BOOKING_RETENTION_DAYS", 365)
BOOKING_SPAM_RETENTION_DAYS = env_int("BOOKING_SPAM_RETENTION_DAYS", 30)
# Form posts allowed per IP address per window (seconds); then a friendly 429 page.
BOOKING_RATE_LIMIT = env_int("BOOKING_RATE_LIMIT", 20)
BOOKING_RATE_LIMIT_WINDOW = env_int("BOOKING_RATE_LIMIT_WINDOW", 3600)
# Time trap: a form sent sooner than this after it was shown, or later, is refused.
BOOKING_FORM_MIN_SECONDS = env_int("BOOKING_FORM_MIN_SECONDS", 3)
BOOKING_FORM_MAX_AGE = env_int("BOOKING_FORM_MAX_AGE", 4 * 3600)
BOOKING_EMAIL_MAX_ATTEMPTS = env_int("BOOKING_EMAIL_MAX_ATTEMPTS", 8)
GUIDE_LINK_DAYS = env_int("GUIDE_LINK_DAYS", 7)

# Health data (reason for visit, staff notes) is encrypted with these Fernet keys: the
# first encrypts, all decrypt, so a new key goes first and old ones stay until
# `manage.py reencrypt_requests` has run. Without it, a key derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or [
    base64.urlsafe_b64encode(
        hashlib.sha256(f"field-encryption:{SECRET_KEY}".encode()).digest()
    ).decode()
]
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes), "
            "e.g. from `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        ) from None

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("CLINIC_NAME", "Harbor Physical Therapy")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "pptx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No staff email hashes sent to a third party for avatars.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
