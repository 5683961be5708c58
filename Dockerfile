# Production image: gunicorn serving the site, WhiteNoise serving hashed static files.
# Debian 13 (trixie): its postgresql-client (17) matches the compose file's PostgreSQL 17,
# for `manage.py backup` and `restore` (pg_dump refuses a newer server than itself).
FROM python:3.11-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 clinic
WORKDIR /app

# Exactly the locked versions, each checked against its hash (README, "Dependencies").
COPY requirements.lock .
RUN pip install --require-hashes -r requirements.lock

COPY --chown=clinic:clinic . .
USER clinic
# collectstatic needs settings to load; these keys exist only in this build step and never
# reach a running container, which refuses to start without its own.
RUN SECRET_KEY=build-only-key-not-used-at-runtime-0123456789abcdefghijklmnopqrstuv \
    FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS1rZXktbmV2ZXItYXQtcnVudGltZSE= \
    python manage.py collectstatic --noinput --verbosity 0

EXPOSE 8000
# The Site record on SITE_URL (idempotent), then serve. Workers, threads, connections and
# logging: gunicorn.conf.py, from the environment.
CMD ["sh", "-c", "python manage.py sync_site && exec gunicorn clinic.wsgi:application"]
