# A primary PostgreSQL 15 and a synchronous streaming standby made from it with pg_basebackup, in
# a folder, on free loopback ports: what central's high availability runs on. Source it; needs
# bash. Room for 200 connections: two central processes' pools and tools. Commands (all take the folder):
#   pair_start DIR     makes and starts both; prints "PRIMARY_PORT STANDBY_PORT PASSWORD"
#   pair_fail DIR      stops the primary at once (as a crash would) and promotes the standby
#   pair_stop DIR      stops whatever runs and removes the folder
source "$(dirname "${BASH_SOURCE[0]}")/throwaway-postgres.sh"

pair_start() {
    local dir=$1 password primary_port standby_port
    ensure_postgres_installed || return 1
    mkdir -p "$dir" && chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    primary_port=$(free_port)
    standby_port=$(free_port)
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir/pwfile"
    as_pg_owner "$PG_BIN/initdb" -D "$dir/primary" -U backroom --pwfile="$dir/pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
    rm -f "$dir/pwfile"
    # Synchronous on the primary's command line only: the standby, copied from it, must not wait
    # for a standby of its own once promoted.
    as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w -t 60 \
        -o "-p $primary_port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c synchronous_standby_names=*" start >/dev/null \
        || { cat "$dir/primary.log" >&2; return 1; }
    as_pg_owner env PGPASSWORD="$password" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U backroom \
        -D "$dir/standby" -R -X stream >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; return 1; }
    as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/standby" -l "$dir/standby.log" -w -t 60 \
        -o "-p $standby_port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
        || { cat "$dir/standby.log" >&2; return 1; }
    echo "$primary_port $standby_port $password"
}

pair_fail() {
    local dir=$1
    as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/primary" -m immediate -w stop >/dev/null
    as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/standby" -w promote >/dev/null
}

pair_stop() {
    local dir=$1
    for node in primary standby; do
        [ -d "$dir/$node" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/$node" -m immediate -w stop >/dev/null 2>&1 || true
    done
    rm -rf "$dir"
}
