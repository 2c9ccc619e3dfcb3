# Shared by scripts/test and scripts/bench-*: a throwaway PostgreSQL cluster in a directory
# of our own, installed from Debian when missing. Source it, then:
#   pg_cluster_start DIR   sets pg_bin, pg_port and admin_url (the postgres database)
#   pg_cluster_stop DIR

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# initdb refuses to run as root: run the cluster as the postgres user when we are root.
as_postgres() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; else "$@"; fi
}

install_postgres() {
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
        echo "installing PostgreSQL…"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
        pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
}

# A throwaway cluster: fsync off for speed (production keeps PostgreSQL's defaults). Swift
# Testing runs the suites in parallel, each test with its own database and connection pools,
# so the cluster allows many clients.
# Extra server settings may follow the directory, e.g. "-c shared_buffers=512MB".
pg_cluster_start() {
    local dir=$1
    shift
    install_postgres || return 1
    pg_port=$(free_port)
    mkdir -p "$dir/data" "$dir/sock"
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/data" "$dir/sock"
    as_postgres "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log"; return 1; }
    as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/sock/pg.log" -w \
        -o "-p $pg_port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=2000 $*" start >/dev/null ||
        { cat "$dir/sock/pg.log"; return 1; }
    admin_url="postgres://postgres@127.0.0.1:$pg_port/postgres"
}

pg_cluster_stop() {
    as_postgres "$pg_bin/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1 || true
}
