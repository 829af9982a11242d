# The production image: web (gunicorn), worker and beat all run from it (docker-compose.yml).
FROM python:3.11-slim-bookworm

# Pango for WeasyPrint; Noto fonts so that Arabic and Chinese PDFs have their glyphs;
# gettext to compile the translation catalogues.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-noto-core fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var STATIC_ROOT=/app/staticfiles
WORKDIR /app
COPY pyproject.toml README.md ./
COPY compact_process ./compact_process
COPY phases ./phases
COPY stakeholders ./stakeholders
RUN pip install --no-cache-dir .
COPY . .
# Collected with production settings, so that the hashed-name manifest matches.
RUN DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && (ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1 && DEBUG=1 python manage.py compilemessages || true) \
 && useradd --system --home /app app && mkdir -p /app/var/media && chown -R app /app/var
USER app
EXPOSE 8000
# Threads, the request timeout and the bind come from compact_process/gunicorn_conf.py.
CMD ["gunicorn", "-c", "python:compact_process.gunicorn_conf", "compact_process.wsgi"]
