# The production image: web (gunicorn), worker and beat all run from it (docker-compose.yml).
FROM python:3.11-slim-bookworm

# Pango for WeasyPrint; Noto fonts so that Arabic and Chinese PDFs have their glyphs;
# gettext to compile the translation catalogues.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-noto-core fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

# The project is not installed as a package: it runs from /app (PYTHONPATH), so that its
# code is in the image once, copied last.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app \
    VAR_DIR=/app/var STATIC_ROOT=/app/staticfiles
WORKDIR /app
# The dependencies first, read from pyproject.toml alone, so that a change to the code
# does not install them again. EXTRAS: optional groups as well, comma-separated (s3:
# media in a bucket, `docker compose build --build-arg EXTRAS=s3`).
ARG EXTRAS=""
COPY pyproject.toml ./
RUN python -c "import os, tomllib; \
project = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
extras = [name for name in os.environ['EXTRAS'].split(',') if name]; \
print('\n'.join(project['dependencies'] \
  + [dep for name in extras for dep in project['optional-dependencies'][name]]))" \
      > /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt
# Everything but what .dockerignore leaves out (.git, .venv, var/, tests, caches).
COPY . .
# Collected with production settings, so that the hashed-name manifest matches.
RUN DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && (ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1 && DEBUG=1 python manage.py compilemessages || true) \
 && useradd --system --home /app app && mkdir -p /app/var/media && chown -R app /app/var
USER app
EXPOSE 8000
# Threads, the request timeout and the bind come from compact_process/gunicorn_conf.py.
CMD ["gunicorn", "-c", "python:compact_process.gunicorn_conf", "compact_process.wsgi"]
