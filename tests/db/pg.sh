#!/bin/sh
# tests/db/pg.sh start|restart|stop STATE - a throwaway PostgreSQL 15 server for
# the db tests: a cluster in a temporary folder, listening on a Unix socket
# there and nowhere else. STATE is a file that holds the folder's path.
#
# User kg connects without a password (trust); user pw only with the
# password 'right-pw' (scram-sha-256), for the wrong-password test.
# Exit 77 (the tests' SKIP_RETURN_CODE) when PostgreSQL is not installed.
set -eu
cmd=$1 state=$2
bin=${KGRAPH_PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] || { echo "pg.sh: PostgreSQL 15 is not installed" >&2; exit 77; }

# initdb refuses to run as root: run the server as the postgres user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

# Durability is not what these tests are about: no fsync.
serve() {
  as_owner "'$bin/pg_ctl' -D '$1/data' -w -l '$1/log' \
    -o \"-k $1 -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start >/dev/null"
}

mkdir -p "$(dirname "$state")"
case $cmd in
start)
  dir=$(mktemp -d /tmp/kgraph-pg.XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
  chmod 755 "$dir"
  as_owner "'$bin/initdb' -D '$dir/data' -A trust -U kg >'$dir/initdb.log' 2>&1"
  cat >"$dir/data/pg_hba.conf" <<HBA
local all pw scram-sha-256
local all all trust
HBA
  serve "$dir"
  psql -X -q -h "$dir" -U kg -d postgres -c "CREATE DATABASE kgtest" \
       -c "CREATE ROLE pw LOGIN PASSWORD 'right-pw'" -c "ALTER DATABASE kgtest OWNER TO kg" >/dev/null
  psql -X -q -h "$dir" -U kg -d kgtest -c "GRANT ALL ON SCHEMA public TO pw" >/dev/null
  echo "$dir" >"$state"
  ;;
restart)
  # Stopped at once, as by a crash, in the middle of whatever runs.
  dir=$(cat "$state")
  as_owner "'$bin/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null"
  serve "$dir"
  ;;
stop)
  [ -f "$state" ] || exit 0
  dir=$(cat "$state")
  as_owner "'$bin/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1" || true
  rm -rf "$dir" "$state"
  ;;
*)
  echo "usage: pg.sh start|restart|stop STATE" >&2; exit 3 ;;
esac
