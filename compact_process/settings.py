"""Settings for compact_process, read from the environment.

Safe defaults for a laptop (SQLite under var/, an embedded Celery broker under
var/, mail printed to the console); production sets the variables documented in
README.md ("Configuration"). A bad value stops start-up with a clear message.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from compact_process.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (make run sets DEBUG=1 for local use)."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_filters",
    "axes",  # sign-in throttling (compact_process.accounts.throttle)
    # The second factor (compact_process.accounts.two_factor): an authenticator app, and
    # single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "compact_process.accounts",
    "compact_process.web",
    "compact_process.audit",
    "compact_process.notifications",
    "compact_process.deadlines",
    "compact_process.pdf",
    "compact_process.backups",  # manage.py backup and restore
    "phases",
    "stakeholders",
]

MIDDLEWARE = [
    # First: the instant a request arrived, which decides whether an act met a deadline.
    "compact_process.web.arrival.ArrivalMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy and Permissions-Policy headers (CONTENT_SECURITY_POLICY,
    # PERMISSIONS_POLICY below), on every response, static files included.
    "compact_process.web.headers.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's and modeltranslation's advice).
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CSRF reads POST): an oversized request is answered
    # 413 in the reader's language without being read.
    "compact_process.web.limits.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: signs out after SESSION_IDLE_MINUTES unused.
    "compact_process.web.idle.IdleSessionMiddleware",
    # Then whether this session has given its second factor; one who owes it sees only
    # the pages that take it (compact_process.accounts.two_factor).
    "django_otp.middleware.OTPMiddleware",
    "compact_process.accounts.two_factor.SecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last (axes' advice): turns a refused sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# The longest a request may be in flight (the proxy's and gunicorn's timeout): a review
# closes this long after its deadline, so that an objection made in the last second is
# never overtaken by the close (compact_process.web.arrival).
REQUEST_TIMEOUT_SECONDS = env_int("REQUEST_TIMEOUT_SECONDS", 30)
# A trusted proxy's header saying when it received the request (e.g. X-Request-Start,
# "t=<seconds since the epoch>"); empty: the application's own arrival time only.
REQUEST_START_HEADER = env_str("REQUEST_START_HEADER", "")

ROOT_URLCONF = "compact_process.urls"
WSGI_APPLICATION = "compact_process.wsgi.application"
ASGI_APPLICATION = "compact_process.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'compact_process.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and permissions ----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # At least 12 characters (issue 15); create_user in tests and commands is not checked.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "phases:public-home"
# Sessions: signed out after this many minutes without a request (compact_process.web.idle),
# sooner for the staff who decide who takes part (secretariat, PGA Office,
# co-facilitators, superusers); and at most SESSION_COOKIE_AGE after signing in, however busy.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)
SESSION_IDLE_MINUTES_STAFF = env_int("SESSION_IDLE_MINUTES_STAFF", 20)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)
# The second factor: the name an authenticator app shows beside the codes for this site.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Global Compact for Migration")
# Guardian: direct foreign-key permission tables are declared per model (STACK-NOTES).
GUARDIAN_RAISE_403 = True
# Sign-in throttling (django-axes, compact_process.accounts.throttle): the
# AXES_FAILURE_LIMIT-th failed attempt in a row for one account locks that account, and
# the AXES_ADDRESS_FAILURE_LIMIT-th from one address (whatever the names typed) locks the
# address, for AXES_COOLOFF_MINUTES (counted from that attempt; trying meanwhile does not
# prolong it); the secretariat can unlock earlier (Operations › Locked sign-ins). The
# address limit is higher: a delegation or an NGO office signs in from one shared
# address, and one person's mistyped password must not lock out their colleagues.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
if (
    AXES_FAILURE_LIMIT < 1
    or AXES_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT
    or datetime.timedelta(minutes=1) > AXES_COOLOFF_TIME
):
    raise ImproperlyConfigured(
        "AXES_FAILURE_LIMIT and AXES_COOLOFF_MINUTES must be at least 1, and "
        "AXES_ADDRESS_FAILURE_LIMIT at least AXES_FAILURE_LIMIT."
    )
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "compact_process.accounts.throttle.AuditedHandler"
AXES_LOCKOUT_CALLABLE = "compact_process.accounts.throttle.lockout_response"
# Successful sign-ins are not logged by axes (the audit trail and the server log suffice).
AXES_DISABLE_ACCESS_LOG = True
# The client's address: REMOTE_ADDR when gunicorn faces the Internet. Behind a reverse
# proxy, name the header it sets (e.g. HTTP_X_REAL_IP, which nginx overwrites with
# $remote_addr), or HTTP_X_FORWARDED_FOR with the number of proxies that append to it; a
# header a client can write itself must never be trusted (README, "Configuration").
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(
    env_list("AXES_IPWARE_META_PRECEDENCE_ORDER", ["REMOTE_ADDR"])
)
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None
AXES_IPWARE_PROXY_TRUSTED_IPS = env_list("AXES_IPWARE_PROXY_TRUSTED_IPS", []) or None

# --- Languages and time -------------------------------------------------------
# The six official languages of the United Nations. English is the source.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates in the UN's style; the other languages keep their locale's formats.
FORMAT_MODULE_PATH = ["compact_process.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
# Stored in UTC; meetings are shown in their venue's own time zone.
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents and rendered PDFs. Never served as static files: views check who
# may read them (a limited or unpublished document is not public).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Uploads: PDF or DOCX only (checked by content), at most this size.
DOCUMENT_UPLOAD_MAX_BYTES = int(env_str("DOCUMENT_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are spooled to a temporary file
# Form fields other than files (Django's default, said here beside the others).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A request whose Content-Length is over the largest upload plus this margin (the form's
# other fields, multipart boundaries) is answered 413 before its body is read
# (compact_process.web.limits); the proxy in front refuses it earlier still (README).
REQUEST_BODY_MARGIN_BYTES = env_int("REQUEST_BODY_MARGIN_BYTES", 1024 * 1024)
# Where `manage.py backup` writes its archives unless told (README, "Backups and restore").
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
# How long a page waits for a PDF before it shows the progress instead.
PDF_WAIT_SECONDS = float(env_str("PDF_WAIT_SECONDS", "2"))

# Files under MEDIA_ROOT (docker-compose: the `media` volume the web app and the workers
# share), or, with AWS_STORAGE_BUCKET_NAME, objects in an S3 bucket (django-storages:
# `pip install '.[s3]'`, the image built with EXTRAS=s3), so that web replicas on several
# machines see the same files. The bucket stays private: every file is read through the
# views, which check who may read it; never by a public or signed URL.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    import importlib.util

    if not (importlib.util.find_spec("storages") and importlib.util.find_spec("boto3")):
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set but django-storages[s3] is not installed "
            "(pip install '.[s3]'; the image: docker compose build --build-arg EXTRAS=s3)."
        )
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # MinIO, Ceph, another provider; empty: AWS. Credentials: boto3's own
            # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the machine's role).
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "location": env_str("AWS_LOCATION"),  # a folder in the bucket
            # A name already taken gets a suffix, as on the file system; S3Storage's
            # default would overwrite the older file.
            "file_overwrite": False,
            "default_acl": "private",
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# For the file-based backend (each message a file in this folder).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# A mail server that stops answering must not hold a worker for ever (Django's default).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# An e-mail claimed by a worker that never began to hand it over (the worker died while
# writing it or connecting) is sent again by the sweep after EMAIL_ABANDONED_SECONDS: it is
# known not to have reached the mail server. One whose hand-over began and never ended may
# have: after EMAIL_UNCERTAIN_MINUTES the operations page asks a person to resend or drop it.
EMAIL_ABANDONED_SECONDS = env_int("EMAIL_ABANDONED_SECONDS", 120)
EMAIL_UNCERTAIN_MINUTES = env_int("EMAIL_UNCERTAIN_MINUTES", 10)
if EMAIL_ABANDONED_SECONDS <= EMAIL_TIMEOUT or EMAIL_UNCERTAIN_MINUTES * 60 <= EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        "EMAIL_ABANDONED_SECONDS and EMAIL_UNCERTAIN_MINUTES must be longer than EMAIL_TIMEOUT."
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "compact-process@localhost")
# Links in e-mails point here (the address people use to reach the site).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Celery -------------------------------------------------------------------
# With REDIS_URL (docker-compose, CI, production) tasks go through Redis. Without
# it (make run on a fresh machine) kombu's filesystem transport under var/ is a
# real, embedded broker: a real worker runs the same tasks, nothing is eager.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    # With Redis down, publishing must fail fast rather than hang a web request.
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# A web request that enqueues a task (after its commit) must not hang on a broker that
# accepts connections but does not answer: give up after a few seconds; the row is in the
# database and beat's sweep sends it (compact_process/notifications).
CELERY_BROKER_CONNECTION_TIMEOUT = 3.0
# A worker whose broker is gone tries again for as long as it takes (every 30 s at most),
# rather than exiting after Celery's default 100 tries (about 45 minutes).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # kombu's Redis transport, with its crash on a lost broker contained (the module says).
    CELERY_BROKER_TRANSPORT = "compact_process.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS.update({"socket_timeout": 3.0, "socket_connect_timeout": 3.0})
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(_broker_dir),
            "data_folder_out": str(_broker_dir),
            "processed_folder": str(_broker_dir / "processed"),
            # The exchange tables; kombu's default is ./control in the working directory.
            "control_folder": str(_broker_dir / "control"),
            "store_processed": False,
        }
    )
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One beat at a time on Redis: RedBeat's lock, which a second beat waits for and takes
# over BEAT_LOCK_SECONDS after the holder's last tick (compact_process/beat.py). Without
# Redis (make run's embedded broker) there is one beat, embedded in the one worker, and
# Celery's own scheduler with its file.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BEAT_SCHEDULER = "compact_process.beat:Scheduler"
    CELERY_BEAT_MAX_LOOP_INTERVAL = env_int("BEAT_MAX_LOOP_SECONDS", 5)
    CELERY_REDBEAT_REDIS_URL = CELERY_BROKER_URL
    # RedBeat's own client options (not the broker's): a Redis that does not answer is
    # an error after a few seconds, and the scheduler tries again.
    CELERY_REDBEAT_REDIS_OPTIONS = {"socket_timeout": 3.0, "socket_connect_timeout": 3.0}
    CELERY_REDBEAT_LOCK_TIMEOUT = env_int("BEAT_LOCK_SECONDS", 30)
    if CELERY_BEAT_MAX_LOOP_INTERVAL < 1 or CELERY_REDBEAT_LOCK_TIMEOUT < 2 * (
        CELERY_BEAT_MAX_LOOP_INTERVAL + 3
    ):
        raise ImproperlyConfigured(
            "BEAT_MAX_LOOP_SECONDS must be at least 1, and BEAT_LOCK_SECONDS at least twice "
            "BEAT_MAX_LOOP_SECONDS plus 6 (a tick may wait 3 s for Redis)."
        )
# PDFs render on a queue of their own (WeasyPrint is slow and memory-hungry): a long
# render never delays e-mail. Time limits are on the task (compact_process.pdf.tasks).
CELERY_TASK_ROUTES = {"compact_process.pdf.tasks.*": {"queue": "pdf"}}

# --- Cache ----------------------------------------------------------------------
# Shared between web processes and the worker: Redis when there is one, files otherwise.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer must not hang a request (public pages are then
            # served uncached: compact_process/web/cache.py).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Browser policies -------------------------------------------------------------
# Only our own scripts, styles and images: no inline <script>, <style>, style="" or on*=""
# in a page (tests/test_security_headers.py scans the templates; the browser tests fail
# on any violation). The PDF and e-mail templates are not served to browsers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# No page uses these browser features; a script that somehow ran could not either.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each step of every render at INFO ("Step 2 - Fetching and
    # parsing CSS"); its warnings (a missing image, an unsupported property) still show.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # axes reports every sign-in at INFO; its warnings (each failure, each lock-out) show.
        "axes": {"level": "WARNING"},
    },
}

# --- Production hardening (on whenever DEBUG is off) --------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
