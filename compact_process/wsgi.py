"""WSGI entry point (gunicorn compact_process.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_process.settings")
application = get_wsgi_application()
