# Starts a throwaway PostgreSQL 15 cluster in a temporary folder on a free loopback port and
# exports BACKROOM_TEST_POSTGRES_URL (a superuser with a password). Stops it and removes the
# folder on exit, whatever the exit. Source it; needs bash.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

ensure_postgres_installed() {
    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "PostgreSQL 15 not found in $PG_BIN; installing it" >&2
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
        else
            echo "run as root or install postgresql-15 first" >&2
            return 1
        fi
    fi
}

# Runs a command as the cluster's owner: initdb and postgres refuse to run as root.
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_throwaway_postgres() {
    ensure_postgres_installed || return 1
    PG_DIR=$(mktemp -d /tmp/backroom-pg.XXXXXX)
    chmod 755 "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
    PG_PORT=$(free_port)
    local password
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    printf '%s\n' "$password" > "$PG_DIR/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR/pwfile"
    as_pg_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U backroom --pwfile="$PG_DIR/pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    rm -f "$PG_DIR/pwfile"
    trap stop_throwaway_postgres EXIT
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null \
        || { cat "$PG_DIR/server.log" >&2; return 1; }
    export BACKROOM_TEST_POSTGRES_URL="postgres://backroom:$password@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
    echo "throwaway PostgreSQL 15 on 127.0.0.1:$PG_PORT ($PG_DIR)" >&2
}

stop_throwaway_postgres() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
        as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
}
