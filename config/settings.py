"""Settings for Jiandu, read from the environment.

Every value has a safe production default: debug is off unless JIANDU_DEBUG=1, hosts are limited to
loopback unless ALLOWED_HOSTS says otherwise, and secrets come from SECRET_KEY or SECRET_KEY_FILE (or a key
generated once into the data directory, never committed).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """A secret from NAME or from the file named by NAME_FILE (for Docker/systemd credentials)."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return None


DATA_DIR = Path(os.environ.get("JIANDU_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _generated_secret_key() -> str:
    # A key made once per installation and kept beside the database, readable by its owner only.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


DEBUG = env_bool("JIANDU_DEBUG")
SECRET_KEY = env_secret("SECRET_KEY") or _generated_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "jiandu.core",
    "jiandu.access",
    "jiandu.org",
    "jiandu.ledger",
    "jiandu.notices",
    "jiandu.filing",
    "jiandu.rectification",
    "jiandu.consultation",
    "jiandu.insights",
    "jiandu.calendar",
    "jiandu.geo",
    "jiandu.zones",
    "jiandu.crossing",
    "jiandu.elevated",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request's user, body and address become the actor of every audit entry written meanwhile.
    "jiandu.core.middleware.AuditActorMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiandu.core.middleware.LoginRequiredMiddleware",
    "jiandu.access.middleware.AccountSecurityMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jiandu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiandu.core.context_processors.navigation",
                "jiandu.notices.context_processors.unread_notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jiandu.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; a busy timeout instead of instant "locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jiandu.access.validators.LettersAndDigitsValidator"},
]
# django-axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): 5 failures lock the pair (username, address) for 30 minutes. Not the address
# alone: a whole office signs in from behind one NAT address, and one person's typos must not lock out
# their colleagues; not the username alone, or anyone could lock anyone out from anywhere.
AXES_FAILURE_LIMIT = int(os.environ.get("LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jiandu.access.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "jiandu.access.lockout.client_ip"
# How many reverse proxies (nginx) stand in front of the app: the client address is then read from
# X-Forwarded-For, that many entries from the right. 0: REMOTE_ADDR.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# Two-factor (django-otp): the issuer shown in authenticator apps; keys never shown in the Django admin.
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Jiandu")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "jiandu" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
# Until `jiandu collectstatic` fills it, files are served from the finders (WHITENOISE_USE_FINDERS).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = Path(os.environ.get("JIANDU_NODE_MODULES", BASE_DIR / "node_modules"))
# Front-end packages are served from the pinned npm install, never from a CDN.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),
]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files (the evidence of problems). Never served as static files: there is no MEDIA_URL route, and
# each download goes through a scoped, audited view (jiandu/ledger/views.py `evidence_download`).
MEDIA_ROOT = Path(os.environ.get("JIANDU_MEDIA_ROOT", DATA_DIR / "media"))
# Largest file of evidence of a problem, in bytes.
LEDGER_EVIDENCE_MAX_BYTES = int(os.environ.get("LEDGER_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))

# Idle timeout: every request pushes the expiry forward, so a session ends after this many seconds unused.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and "127.0.0.1" not in ALLOWED_HOSTS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Largest form or JSON body (uploaded files are not counted): a registry form or an API record is a few
# kilobytes. The API answers 413 above it.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))

# The API (jiandu/core/api/ has the base classes): tokens for scripts, the session for the browsable API.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 with `WWW-Authenticate: Token`.
        "jiandu.access.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "jiandu.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "jiandu.core.api.listing.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "jiandu.core.api.listing.SearchFilter",
        "jiandu.core.api.listing.OrderingFilter",
    ],
    # The same parameter names as the pages: ?q= searches, ?sort= orders.
    "SEARCH_PARAM": "q",
    "ORDERING_PARAM": "sort",
    "EXCEPTION_HANDLER": "jiandu.core.api.errors.exception_handler",
    "PAGE_SIZE": 50,
}
# Seconds an API token is valid after it was issued (a working day; sessions expire when idle instead);
# then POST /api/token/ again.
API_TOKEN_AGE = int(os.environ.get("API_TOKEN_AGE", str(8 * 3600)))
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiandu API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are for signed-in users; the docs page is served from our own static files.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": STATIC_URL + "vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": STATIC_URL + "jiandu/favicon.svg",
    # validatorUrl: null, or Swagger UI would ask validator.swagger.io for a badge.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "persistAuthorization": False},
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "jiandu.org.models.RegionKind",
        "LevelEnum": "jiandu.org.models.Level",
        "BodyKindEnum": "jiandu.org.models.BodyKind",
        "PostKindEnum": "jiandu.org.models.PostKind",
        "EducationEnum": "jiandu.org.models.Education",
        "GenderEnum": "jiandu.org.models.Gender",
        "OutcomeLevelEnum": "jiandu.elevated.models.OutcomeLevel",
        "VersionStatusEnum": "jiandu.core.querysets.VersionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# A category found at this many different townships or departments in one period is proposed as systemic.
SYSTEMIC_MIN_UNITS = int(os.environ.get("SYSTEMIC_MIN_UNITS", "3"))

# Tests: a live-server (browser) test restores the rows the data migrations wrote from a copy taken when the
# test database was created; the audit trail is left out of that copy, since it is append-only (its head row
# is rebuilt from the entries on the next write).
TEST_NON_SERIALIZED_APPS = ["jiandu.core"]
