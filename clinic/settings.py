"""Settings for the clinic site, read from the environment only.

Production and development differ only in environment values; see README.md and
.env.example for every variable.
"""

import base64
import hashlib
import os
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF, UNSAFE_INLINE
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
        "(50+ random characters; `make secrets` writes one into .env)."
    )
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY

# Health data (reason for visit, staff notes) is encrypted with these Fernet keys: the
# first encrypts, all decrypt, so a new key goes first and old ones stay until
# `manage.py reencrypt_requests` has run. Production refuses to start without them; only
# DEBUG (a laptop's demo data) derives one from SECRET_KEY, and `check --deploy` fails then.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_ENCRYPTION_KEYS_DERIVED = not FIELD_ENCRYPTION_KEYS
if FIELD_ENCRYPTION_KEYS_DERIVED:
    if not DEBUG:
        raise SystemExit(
            "Refusing to start: DEBUG is off and FIELD_ENCRYPTION_KEYS is not set (the key "
            "that encrypts patients' health data; `make secrets` writes one into .env)."
        )
    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"field-encryption:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise SystemExit(
            "Refusing to start: FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe "
            "base64-encoded bytes, comma-separated; `make secrets` writes one into .env)."
        ) from None

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "clinic",
    "blog",
    "booking",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
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
    # Pages compressed per response (Django's BREACH mitigation pads each one); static
    # files are compressed by WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    # Cache-Control for Varnish or a CDN; outside the session, CSRF and messages
    # middleware so it sees every cookie they set (clinic/http_cache.py).
    "clinic.http_cache.HttpCacheMiddleware",
    "blog.middleware.WordPressQueryRedirectMiddleware",
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
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A short connect timeout lets the site fail fast (static 500 page) when the database is
    # down; a request waits no longer than that for a connection from the pool either.
    DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 2)
    # psycopg 3's pool (one per process; the pool replaces persistent connections, so
    # CONN_MAX_AGE stays 0).
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
        "pool": {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_SIZE", 4),
            "timeout": DATABASE_CONNECT_TIMEOUT,
            # A failed connection is retried with a growing delay only this long, then the
            # next request tries afresh: the site is back as soon as PostgreSQL is.
            "reconnect_timeout": DATABASE_CONNECT_TIMEOUT,
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every web process), else local memory.
# While Redis is down the site carries on without it (IGNORE_EXCEPTIONS): reads miss,
# writes are dropped, and "clinic.cache" logs one of the ignored errors a minute.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    redis_options = {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 1,
        "SOCKET_TIMEOUT": 1,
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "clinic",
            "OPTIONS": redis_options,
        },
        # Wagtail keeps which renditions of an image exist here (the "renditions" alias).
        "renditions": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "clinic-renditions",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": redis_options,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
        },
    }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "clinic.cache"

# The HTTP cache in front (Varnish, or a CDN): how long it may keep an anonymous public
# page (s-maxage; every change purges it sooner, clinic/purging.py), how long a browser
# may, and how long a stale copy may be served while a fresh one is fetched or while the
# site is down.
# Purged on every change (clinic/purging.py, through wagtail.contrib.frontend_cache):
# Varnish (VARNISH_URL, e.g. http://cache:6081), Cloudflare or CloudFront, any together.
# The app itself stays out of INSTALLED_APPS: its only part is signal handlers that would
# send the purges inside the editor's request (Wagtail queues them on the "default" task
# backend, run inline here); clinic/purging.py queues the same task for the worker.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("VARNISH_URL"):
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "clinic.purging.VarnishBackend",
        "LOCATION": os.environ["VARNISH_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_API_TOKEN", ""),
    }
if os.environ.get("CLOUDFRONT_DISTRIBUTION_ID"):
    # Credentials as for S3 (AWS_ACCESS_KEY_ID... or the machine's role).
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
    }
# Without a purged cache in front, no shared cache is told it may keep pages (0).
HTTP_CACHE_SECONDS = env_int("HTTP_CACHE_SECONDS", 3600 if WAGTAILFRONTENDCACHE else 0)
HTTP_CACHE_BROWSER_SECONDS = env_int("HTTP_CACHE_BROWSER_SECONDS", 60)
HTTP_CACHE_STALE_SECONDS = env_int("HTTP_CACHE_STALE_SECONDS", 60)
HTTP_CACHE_STALE_IF_ERROR_SECONDS = env_int("HTTP_CACHE_STALE_IF_ERROR_SECONDS", 86400)

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
# The error page's name and phone, readable with the database and cache down
# (clinic/contact_card.py).
CONTACT_CARD_FILE = STATIC_ROOT / "contact-card.json"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

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

# Backups (`manage.py backup`, daily on the worker): a folder, or an S3-compatible bucket
# with the media's AWS_* credentials. Keep FIELD_ENCRYPTION_KEYS somewhere else.
BACKUP_BUCKET_NAME = os.environ.get("BACKUP_BUCKET_NAME", "")
if BACKUP_BUCKET_NAME:
    backup_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BACKUP_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    backup_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("BACKUP_DIR") or BASE_DIR / "backups",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
# How many daily archives to keep; the hour (clinic's time zone) the worker makes one.
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
BACKUP_HOUR = env_int("BACKUP_HOUR", 3)

STORAGES = {
    "default": default_storage,
    "backups": backup_storage,
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
# Who receives an email for every server error ("Name <email>" or an address, comma-
# separated). Sent by the worker, never inline; no form bodies or health data in them.
ADMINS = [parseaddr(address) for address in env_list("ADMINS")]
# The first admin account `manage.py first_run` creates when there is none; without a
# password it generates one and prints it once.
FIRST_ADMIN_USERNAME = os.environ.get("FIRST_ADMIN_USERNAME", "admin")
FIRST_ADMIN_EMAIL = os.environ.get("FIRST_ADMIN_EMAIL") or (ADMINS[0][1] if ADMINS else "")
FIRST_ADMIN_PASSWORD = os.environ.get("FIRST_ADMIN_PASSWORD", "")
# Where the front desk receives "new appointment request" notices.
CLINIC_NOTIFY_EMAIL = os.environ.get("CLINIC_NOTIFY_EMAIL", DEFAULT_FROM_EMAIL)

# Background tasks: Wagtail's own housekeeping runs inline; the clinic's emails go
# through the database queue so a worker retries them when the mail server is down.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    # "purge": the front cache's purges (clinic/purging.py), with a worker of their own.
    "outbox": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "purge"]},
}

# Security. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER_NAME so Django
# trusts the proxy's scheme header (e.g. HTTP_X_FORWARDED_PROTO).
if os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER_NAME"], "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
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

# Content-Security-Policy (django-csp). Public pages run scripts only from this origin's
# static files: no inline script and no per-response nonce, so a shared cache (Varnish, a
# CDN) may hand the same page and header to every visitor. Inline styles stay
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
        "script-src": [SELF],
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

# Logging: one line per event on stderr, plain or JSON (LOG_FORMAT=json), and errors
# emailed to ADMINS through the task queue. The "django" logger is given its handlers here
# rather than keeping Django's defaults, which printed each of its lines a second time.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "once_a_minute": {"()": "clinic.errors.OncePerInterval", "seconds": 60},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "clinic.errors.QueuedAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # One line per background task state change is noise; failures still show.
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Errors the cache ignored while Redis is down (django-redis): one a minute.
        "clinic.cache": {"filters": ["once_a_minute"]},
    },
}
# Error reports in production hide every form field and local variable (health data).
DEFAULT_EXCEPTION_REPORTER_FILTER = "clinic.errors.PatientDataFilter"

# Optional error tracking (sentry-sdk): without personal data, health fields and form
# bodies scrubbed before anything leaves the process (clinic/errors.py).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    from clinic.errors import sentry_options

    sentry_sdk.init(dsn=SENTRY_DSN, **sentry_options())

# /readyz: the worker must have beaten within this many seconds, and no task (emails,
# backups) may have waited longer than this for it.
READYZ_HEARTBEAT_MAX_AGE = env_int("READYZ_HEARTBEAT_MAX_AGE", 180)
READYZ_QUEUE_MAX_AGE = env_int("READYZ_QUEUE_MAX_AGE", 600)

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
# How long before a visit the patient's reminder email goes.
BOOKING_REMINDER_HOURS = env_int("BOOKING_REMINDER_HOURS", 24)
GUIDE_LINK_DAYS = env_int("GUIDE_LINK_DAYS", 7)

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("CLINIC_NAME", "Harbor Physical Therapy")
# The one public address (origin) of the site, e.g. https://www.example-clinic.com: the
# Wagtail Site record follows it on deploy (`manage.py sync_site`), and sitemap, feeds,
# JSON-LD, canonical links, emails and robots.txt name it. WAGTAILADMIN_BASE_URL stands in
# when only that is set; `check --deploy` warns when neither is.
SITE_URL = (os.environ.get("SITE_URL") or os.environ.get("WAGTAILADMIN_BASE_URL", "")).rstrip("/")
WAGTAILADMIN_BASE_URL = (
    os.environ.get("WAGTAILADMIN_BASE_URL") or SITE_URL or "http://127.0.0.1:8000"
)
# English stemming ("knees" finds "knee"); typo tolerance (pg_trgm) comes with PostgreSQL.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
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
