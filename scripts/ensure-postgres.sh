#!/usr/bin/env bash
# Makes a local PostgreSQL ready for the tests and prints its URL on stdout's last line:
#   postgresql://cm:cm@127.0.0.1:5432/cm_test
# Idempotent and quiet; run as root on Debian (12). Installs Debian's `postgresql` when no
# server binaries exist, creates the cluster if missing, listens on 127.0.0.1 only, starts it
# with pg_ctlcluster (no systemd), creates role `cm` (password `cm`) and database `cm_test`.
# Progress and errors go to stderr; exit code 0 only when the database accepts connections.
# It is left running (loopback only). Stop it with: pg_ctlcluster <version> main stop
set -euo pipefail

ROLE=cm
PASSWORD=cm
DB=cm_test
CLUSTER=${ENSURE_POSTGRES_CLUSTER:-main}   # another name only to try the script out
LOG=${ENSURE_POSTGRES_LOG:-/tmp/ensure-postgres.log}

say() { echo "ensure-postgres: $*" >&2; }
die() { say "$*"; exit 1; }

# the binaries of the newest installed major version
newest_version() {
  ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sed 's#^/usr/lib/postgresql/\([^/]*\)/.*#\1#' | sort -n | tail -1 || true
}

if [ "$(id -u)" -ne 0 ]; then
  die "must run as root (it installs and starts PostgreSQL)"
fi

: >"$LOG"
VER=$(newest_version)
if [ -z "$VER" ]; then
  say "no PostgreSQL server found, installing Debian's postgresql (log: $LOG)"
  command -v apt-get >/dev/null || die "no apt-get: install PostgreSQL yourself and set TEST_DATABASE_URL"
  export DEBIAN_FRONTEND=noninteractive
  # C.UTF-8 exists on every Debian: the cluster the package creates is UTF8 whatever LANG says
  if ! { apt-get update -q && LANG=C.UTF-8 LC_ALL=C.UTF-8 apt-get install -y -q --no-install-recommends postgresql; } >>"$LOG" 2>&1; then
    tail -20 "$LOG" >&2
    die "apt-get install postgresql failed"
  fi
  VER=$(newest_version)
  [ -n "$VER" ] || die "postgresql installed but no /usr/lib/postgresql/*/bin/postgres"
fi
command -v pg_ctlcluster >/dev/null || die "pg_ctlcluster missing (package postgresql-common)"

# the cluster: create it if missing (the package's postinst usually did)
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$VER" -v c="$CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  LANG=C.UTF-8 LC_ALL=C.UTF-8 pg_createcluster --locale=C.UTF-8 "$VER" "$CLUSTER" >>"$LOG" 2>&1 || { tail -20 "$LOG" >&2; die "pg_createcluster $VER $CLUSTER failed"; }
fi
CONF=/etc/postgresql/$VER/$CLUSTER/postgresql.conf
[ -f "$CONF" ] || die "no $CONF"

# loopback only (Debian's default 'localhost' also means ::1; be explicit)
changed=0
if ! grep -qE "^listen_addresses *= *'127\.0\.0\.1'" "$CONF"; then
  sed -i -E "s/^#? *listen_addresses *=.*/listen_addresses = '127.0.0.1'/" "$CONF"
  grep -qE "^listen_addresses *= *'127\.0\.0\.1'" "$CONF" || echo "listen_addresses = '127.0.0.1'" >>"$CONF"
  changed=1
fi
PORT=$(pg_lsclusters -h | awk -v v="$VER" -v c="$CLUSTER" '$1 == v && $2 == c { print $3 }')
STATUS=$(pg_lsclusters -h | awk -v v="$VER" -v c="$CLUSTER" '$1 == v && $2 == c { print $4 }')

if [[ "$STATUS" == online* ]]; then
  # already running (e.g. started by the package's postinst): apply a changed listen address
  if [ "$changed" -eq 1 ]; then
    pg_ctlcluster "$VER" "$CLUSTER" restart >>"$LOG" 2>&1 || { tail -20 "$LOG" >&2; die "pg_ctlcluster $VER $CLUSTER restart failed"; }
  fi
else
  pg_ctlcluster "$VER" "$CLUSTER" start >>"$LOG" 2>&1 || {
    tail -20 "$LOG" >&2
    tail -20 "/var/log/postgresql/postgresql-$VER-$CLUSTER.log" >&2 2>/dev/null || true
    die "pg_ctlcluster $VER $CLUSTER start failed"
  }
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || die "PostgreSQL $VER/$CLUSTER did not accept connections on 127.0.0.1:$PORT within 30 s"

# what the server really uses (an include in conf.d could override the file above)
LISTEN=$(cd / && runuser -u postgres -- psql -p "$PORT" -X -tAc 'show listen_addresses' 2>>"$LOG") || die "cannot ask the server for listen_addresses"
if [ "$LISTEN" != 127.0.0.1 ]; then
  pg_ctlcluster "$VER" "$CLUSTER" stop >>"$LOG" 2>&1 || true
  die "PostgreSQL $VER/$CLUSTER listens on '$LISTEN' (set elsewhere, e.g. conf.d), not only 127.0.0.1: stopped it"
fi

# role and database (cd /: psql as postgres cannot read the caller's directory)
(cd / && runuser -u postgres -- psql -p "$PORT" -X -q -v ON_ERROR_STOP=1 -d postgres) >>"$LOG" 2>&1 <<SQL || { tail -20 "$LOG" >&2; die "creating role $ROLE / database $DB failed"; }
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  END IF;
END \$\$;
ALTER ROLE $ROLE WITH LOGIN PASSWORD '$PASSWORD';
SELECT 'CREATE DATABASE $DB OWNER $ROLE ENCODING ''UTF8'' LC_COLLATE ''C.UTF-8'' LC_CTYPE ''C.UTF-8'' TEMPLATE template0' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB')\gexec
SQL

# the URL works with the password over TCP (Debian's pg_hba: scram-sha-256 for 127.0.0.1/32)
URL="postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
PGPASSWORD=$PASSWORD psql -X -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DB" -tAc 'select 1' >/dev/null 2>>"$LOG" \
  || { tail -5 "$LOG" >&2; die "cannot log in as $ROLE to $DB on 127.0.0.1:$PORT"; }
echo "$URL"
