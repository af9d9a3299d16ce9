#!/usr/bin/env bash
# Starts (start) or stops (stop) a throwaway PostgreSQL cluster for the @crm/sql tests:
# Debian's server, a fresh data directory under /tmp, a Unix socket and a local port, trust auth.
# Prints the connection string the tests read from CRM_PG_URL.
set -euo pipefail
PORT="${CRM_PG_PORT:-54329}"
DIR="${CRM_PG_DIR:-/tmp/crm-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$BIN" ] || { echo "PostgreSQL server not installed (apt-get install postgresql)" >&2; exit 1; }
RUN=()
if [ "$(id -u)" = 0 ]; then RUN=(runuser -u postgres --); fi
case "${1:-start}" in
  start)
    if [ -f "$DIR/postmaster.pid" ]; then "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    "${RUN[@]}" "$BIN/initdb" -D "$DIR" -U crm --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
    echo "postgresql://crm@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
