"""Tests: fast hashing, eager Celery unless a test starts a worker, local media."""

import os
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A folder of its own, or TEST_MEDIA_ROOT: the one a test's worker and server processes share.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="strategy-tracker-media-")
ALLOWED_HOSTS = ["*"]
# Eager by default; the real-worker tests switch this off and start a worker on REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_FAILURE_LIMIT = 5
# Serve static files from the app folders (no collectstatic in tests), as in development.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
