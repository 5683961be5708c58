# Production image: gunicorn serving the site, WhiteNoise serving hashed static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

RUN useradd --create-home --uid 1000 clinic
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=clinic:clinic . .
# collectstatic needs settings to load; the key used here never reaches a running container.
RUN SECRET_KEY=build-only-key-not-used-at-runtime-0123456789abcdefghijklmnopqrstuv \
    python manage.py collectstatic --noinput --verbosity 0

USER clinic
EXPOSE 8000
# Workers, threads, connections and logging: gunicorn.conf.py, from the environment.
CMD ["gunicorn", "clinic.wsgi:application"]
