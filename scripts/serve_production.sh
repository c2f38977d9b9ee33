#!/usr/bin/env bash
# `make serve`: the production stack of docs/deploy.md on this machine, over plain HTTP:
# PostgreSQL and Redis on 127.0.0.1, migrate, collectstatic with the manifest storage,
# granian (2 workers), a Celery worker and beat, DEBUG off. Ctrl+C stops all three.
# Any variable of docs/deploy.md may be set to override the defaults below.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8000}"
mkdir -p var
[ -s var/serve-secret-key ] || .venv/bin/python -c \
  "import secrets; print(secrets.token_urlsafe(64))" > var/serve-secret-key
export DEBUG=false SECURE_COOKIES=false TASKS_MODE=celery
export SECRET_KEY="${SECRET_KEY:-$(cat var/serve-secret-key)}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mist_serve}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}"
export STATICFILES_BACKEND="${STATICFILES_BACKEND:-whitenoise.storage.CompressedManifestStaticFilesStorage}"
export MEDIA_ROOT="${MEDIA_ROOT:-var/serve-media}" PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-var/serve-private}"

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "serve: no PostgreSQL on 127.0.0.1:5432 (start it, or set DATABASE_URL)" >&2; exit 1
fi
if ! .venv/bin/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" \
  "$CELERY_BROKER_URL" 2>/dev/null; then
  echo "serve: no Redis at $CELERY_BROKER_URL (start it, or set CELERY_BROKER_URL)" >&2; exit 1
fi
if [[ "$DATABASE_URL" == postgres://postgres@127.0.0.1:5432/* ]]; then
  name="${DATABASE_URL##*/}"
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" \
    | grep -q 1 || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE \"$name\""
fi

.venv/bin/python manage.py migrate --no-input
[ "${SEED_DEMO:-1}" = 0 ] || .venv/bin/python manage.py seed_demo
.venv/bin/python manage.py collectstatic --no-input --verbosity 0

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 30); do  # at most 15 s for a graceful stop, then kill
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT

.venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$PORT" --workers 2 \
  --blocking-threads 4 --respawn-failed-workers --workers-kill-timeout 10 \
  config.wsgi:application &
pids+=($!)
.venv/bin/celery -A config worker --loglevel INFO --concurrency 2 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule &
pids+=($!)
echo "Mist (production stack) is starting on $SITE_URL/ — stop it with Ctrl+C"
wait -n  # one of them ended: stop the others too
