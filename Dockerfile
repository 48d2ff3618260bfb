# The Strategy Tracker image: the web app (gunicorn), the Celery worker and Celery beat all run
# from it; docker-compose.yml wires them to PostgreSQL and Redis.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=strategy_tracker.settings.production \
    MEDIA_ROOT=/app/media

# WeasyPrint renders the PDF membership update with Pango and HarfBuzz, and needs fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected and translations compiled once, here; `bin/entrypoint prepare`
# skips both (COLLECTSTATIC=0).
RUN bin/entrypoint collectstatic \
    && useradd --create-home --uid 1000 app \
    && mkdir -p /app/media \
    && chown app:app /app/media

# One entry-point script for the image and for `make stack` (Procfile): web, worker <queue>,
# beat, prepare.
ENV HOST=0.0.0.0 PORT=8000 COLLECTSTATIC=0 CELERY_BEAT_SCHEDULE_FILE=/tmp/celerybeat-schedule
USER app
EXPOSE 8000
CMD ["bin/entrypoint", "web"]
