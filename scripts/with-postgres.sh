#!/usr/bin/env bash
# Runs the given command with TANDEM_TEST_DATABASE_URL pointing at a fresh, empty PostgreSQL
# database, dropped afterwards. Uses the server on 127.0.0.1:5432 when one answers; otherwise
# starts a throwaway cluster (recipe from ../shared/guide/ENVIRONMENT.md). Never silently skips:
# if no server can be had, it fails.
set -euo pipefail

if [ -n "${TANDEM_TEST_DATABASE_URL:-}" ]; then exec "$@"; fi

db="tandem_test_$(date +%s)_$$"
cluster_root=""
cleanup() {
  status=$?
  if [ -n "$cluster_root" ]; then
    runas "$PGBIN/pg_ctl" -D "$cluster_root/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$cluster_root"
  else
    dropdb -h 127.0.0.1 -p 5432 -U postgres --if-exists "$db" >/dev/null 2>&1 || true
  fi
  exit $status
}
runas() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  createdb -h 127.0.0.1 -p 5432 -U postgres "$db"
  trap cleanup EXIT
  export TANDEM_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/$db"
else
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "PostgreSQL not found: installing it (the suite never skips PostgreSQL)" >&2
    SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq postgresql >/dev/null
  fi
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  cluster_root=$(mktemp -d)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$cluster_root"
  trap cleanup EXIT
  runas "$PGBIN/initdb" -D "$cluster_root/data" -U app --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runas "$PGBIN/pg_ctl" -D "$cluster_root/data" -l "$cluster_root/log" -w \
    -o "-p 55432 -k $cluster_root -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  "$PGBIN/createdb" -h 127.0.0.1 -p 55432 -U app "$db"
  export TANDEM_TEST_DATABASE_URL="postgresql+psycopg://app@127.0.0.1:55432/$db"
fi
export TANDEM_REQUIRE_POSTGRES=1
"$@"
