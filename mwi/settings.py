"""MWI settings: one module, every knob from the environment.

Each helper below raises ImproperlyConfigured on a value it cannot understand, so a typo in a
deployment fails at start-up instead of silently running with a default.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name, default, *, minimum=0):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items if raw.strip()):
        raise ImproperlyConfigured(f"{name}={raw!r} has an empty item; separate values by commas.")
    return [item for item in items if item]


def _database(url):
    """The DATABASES entry for DATABASE_URL, parsed by dj-database-url (sqlite:///path, or
    postgres://user:pass@host:port/name?sslmode=...), with MWI's connection options."""
    try:
        db = dj_database_url.parse(url)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL: {error}") from None
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return _sqlite(db["NAME"])
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL engine {db['ENGINE']!r} is not supported (use sqlite:/// or "
            "postgres://)."
        )
    return {
        **db,
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
        # A connection that died (database restart, failover) is replaced before the request
        # uses it instead of failing that request. DB_CONN_HEALTH_CHECKS=0 exists only for
        # the control run of benchmarks/pg_restart.py.
        "CONN_HEALTH_CHECKS": env_bool("DB_CONN_HEALTH_CHECKS", True),
        "TEST": {"NAME": env_str("TEST_DATABASE_NAME") or None},
    }


def _sqlite(path):
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # Writers wait for each other instead of failing with "database is locked", and
            # write transactions take the lock up front so they cannot deadlock on upgrade.
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # Opening the file and running the PRAGMAs costs ~2.5 ms, more than a signed-in
        # page from the cache costs: keep the connection, as for PostgreSQL. (restore writes
        # into the file through SQLite's backup API, which open connections see.)
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


# --- Core -----------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-only-key-set-SECRET_KEY-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The site's name in page titles, the admin and the calendar feeds (one site hosts many
# committees, so it names the foundation's site, not a committee).
SITE_NAME = env_str("SITE_NAME", "LF AI & Data committees")
# Public base URL of links in feeds and pages (mwi/lib/site.py); empty: the request's own
# scheme and host.
SITE_URL = env_str("SITE_URL", "").rstrip("/")
if SITE_URL and urlsplit(SITE_URL).scheme not in ("http", "https"):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")
# The site's own page for a refused form (Django's default sends an inline <style>).
CSRF_FAILURE_VIEW = "mwi.views.csrf_failure"

INSTALLED_APPS = [
    "mwi.apps.MwiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "simple_history",
    "axes",
    "mwi",
    "participants",
    "meetings",
    "calls",
    "stackmap",
    "insights",
    "announcements",
    "django_tasks_db",
    # The read API (/api/) and the committee archive (export_committee, import_committee).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "transfer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for text responses the page cache did not serve compressed (BREACH: mwi/compression.py).
    "mwi.lib.compression.CompressionMiddleware",
    # Anonymous pages and feed revalidations from the cache, before sessions and routing.
    "mwi.lib.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the account kept in the cache while sessions are (participants/accounts.py).
    "participants.accounts.AuthenticationMiddleware",
    # request.audience: who may see and do what (participants/access.py), computed on first use.
    "participants.access.AudienceMiddleware",
    # Signed-in visitors' pages from the cache of their audience class, own bits filled in.
    "mwi.lib.pagecache.AudiencePageCacheMiddleware",
    # E-mail addresses hidden from readers who may not see them, in every text response
    # (inside the page cache, which stores what each audience class gets).
    "mwi.lib.addresses.AddressRedactionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # 400, not 500, for NUL characters and unreadable values in admin requests.
    "mwi.lib.badinput.BadInputMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mwi.urls"
WSGI_APPLICATION = "mwi.wsgi.application"

_template_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "mwi.context_processors.site",
                "participants.access.audience",
                # After Django's csrf processor: a placeholder in pages rendered for the cache.
                "mwi.lib.pagecache.csrf_placeholder",
            ],
            # Parsed templates stay in memory in production; DEBUG reloads them on change.
            "loaders": _template_loaders
            if DEBUG
            else [("django.template.loaders.cached.Loader", _template_loaders)],
        },
    }
]
# Built-in widget templates through Jinja2, the admin's and MWI's own through DTL: the lead's
# change forms render some 300 widgets (mwi/lib/form_renderer.py).
FORM_RENDERER = "mwi.lib.form_renderer.FormRenderer"

# --- Data -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": _database(DATABASE_URL) if DATABASE_URL else _sqlite(str(BASE_DIR / "db.sqlite3"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "mwi.lib.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "mwi"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages are cached this long at most, per audience class (mwi/lib/pagecache.py; every committed
# write invalidates them at once). Without Redis the cache is per process: right for one
# process (make run), several workers need REDIS_URL to see each other's writes.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)

# --- Time -----------------------------------------------------------------------------------
USE_TZ = True
TIME_ZONE = "UTC"  # storage and server time; each committee shows its own zone
LANGUAGE_CODE = "en-us"
USE_I18N = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded recordings, slides and chat logs larger than this are refused with a form error.
# Landscape logos (the SVG files a landscape2 repository keeps in hosted_logos/): shown on the
# landscape pages only when this names a local folder; never fetched from anywhere.
LANDSCAPE_LOGOS_DIR = (
    Path(env_str("LANDSCAPE_LOGOS_DIR")) if env_str("LANDSCAPE_LOGOS_DIR") else None
)
if LANDSCAPE_LOGOS_DIR is not None and not LANDSCAPE_LOGOS_DIR.is_dir():
    raise ImproperlyConfigured(f"LANDSCAPE_LOGOS_DIR={LANDSCAPE_LOGOS_DIR} is not a folder.")
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 200 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if AWS_STORAGE_BUCKET_NAME:
    # Uploads on object storage (S3 or any S3-compatible service): app servers keep no state.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            # Signature version 4: what AWS regions and S3-compatible services accept
            # (botocore would sign URLs for a custom endpoint with the retired version 2).
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("BEHIND_PROXY", False):
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a commitment of the whole domain (all subdomains, hard to undo) that
    # only its owner can make; SECURE_HSTS_PRELOAD=1 opts in.
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=60)
# With Redis: Django's cached_db engine, reading the versions a signed-in page needs in the
# session's own cache read (participants/sessions.py).
SESSION_ENGINE = "participants.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
X_FRAME_OPTIONS = "DENY"

SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF, "https:"],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if AWS_STORAGE_BUCKET_NAME and env_str("AWS_S3_ENDPOINT_URL"):
    # Recordings play from signed URLs of the object storage (meetings.views.download).
    _storage = urlsplit(env_str("AWS_S3_ENDPOINT_URL"))
    SECURE_CSP["media-src"] = [*SECURE_CSP["media-src"], f"{_storage.scheme}://{_storage.netloc}"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in through an OpenID Connect provider (participants/oidc.py, mozilla-django-oidc):
# endpoints from the issuer's discovery document; code flow with PKCE, state and nonce.
OIDC_ISSUER = env_str("OIDC_ISSUER").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME")
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
if OIDC_ISSUER and not OIDC_ISSUER.startswith(("https://", "http://127.0.0.1", "http://localhost")):
    raise ImproperlyConfigured(f"OIDC_ISSUER={OIDC_ISSUER!r} must be an https:// URL.")
# Local username/password accounts (the first admin, small sites); LOCAL_SIGNIN=0 turns off.
LOCAL_SIGNIN = env_bool("LOCAL_SIGNIN", True)
if not LOCAL_SIGNIN and not OIDC_ISSUER:
    raise ImproperlyConfigured("LOCAL_SIGNIN=0 needs OIDC_ISSUER: nobody could sign in.")
if OIDC_ISSUER:
    AUTHENTICATION_BACKENDS.append("participants.oidc.Backend")
    # Sign-out is a form whose answer redirects to the provider (RP-initiated logout).
    _issuer = urlsplit(OIDC_ISSUER)
    SECURE_CSP["form-action"] = [*SECURE_CSP["form-action"], f"{_issuer.scheme}://{_issuer.netloc}"]
OIDC_RP_SCOPES = "openid email profile"
# The committee whose leads edit the stack map (its slug); empty: the only committee of a site
# that hosts one, else foundation staff only (participants/access.py).
STACKMAP_COMMITTEE = env_str("STACKMAP_COMMITTEE")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the hint for RP-initiated logout
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
LOGIN_REDIRECT_URL_FAILURE = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-axes: lock an account+address pair after repeated failures. Attempts are stored in
# the database, so the count holds across every worker and app server.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- E-mail and background work (announcements) ----------------------------------------------
# The environment speaks Django's classic names (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT); they fill Django 6.1's
# MAILERS setting, which replaces the EMAIL_* settings (deprecated, gone in Django 2028).
# Development (DEBUG) prints messages on the console unless EMAIL_BACKEND says otherwise;
# everywhere else they go to the SMTP server EMAIL_HOST:EMAIL_PORT.
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else _SMTP_BACKEND
)
if env_bool("EMAIL_USE_TLS", False) and env_bool("EMAIL_USE_SSL", False):
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25, minimum=1),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
            "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
        }
        if _email_backend == _SMTP_BACKEND
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Django's Tasks framework: the immediate backend runs a task at once, in the process that
# enqueues it (the embedded default); production sets
# TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
    }
}

# --- API ------------------------------------------------------------------------------------
# The read API (api/): Django REST framework, OpenAPI 3 schema by drf-spectacular. Anonymous
# callers are throttled per address (a 429 with Retry-After beyond the rate: "N/second|minute|
# hour|day"); personal access tokens and sessions read with their owner's rights.
API_ANONYMOUS_RATE = env_str("API_ANONYMOUS_RATE", "60/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.throttling.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": "Read-only: committees, series, meetings, people, organizations, "
    "memberships and the stack map. Send a personal access token as "
    "`Authorization: Bearer <token>` to read what its owner may read.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
