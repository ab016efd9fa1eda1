#!/usr/bin/env bash
# Runs a command with TESSERA_TEST_PG_URL naming a PostgreSQL server on which the tests may create (and
# drop) databases of their own. Uses the server at $TESSERA_TEST_PG_URL when it answers; otherwise, as
# root on Debian, starts the installed cluster and creates the test role; otherwise starts a private
# throwaway cluster with initdb. Usage: scripts/with-postgres.sh CMD...
set -euo pipefail
url="${TESSERA_TEST_PG_URL:-postgres://tessera_test:tessera_test@127.0.0.1:5432/postgres}"

answers() {
  node -e '
    const pg = require("pg")
    const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 })
    c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1))' "$1" 2>/dev/null
}

if ! answers "$url"; then
  if [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null; then
    read -r version cluster _ < <(pg_lsclusters -h | head -n 1)
    pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
    for _ in $(seq 1 30); do su postgres -c 'pg_isready -q' && break; sleep 0.5; done
    su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
SET client_min_messages = warning;
DO $$ BEGIN
  CREATE ROLE tessera_test LOGIN CREATEDB PASSWORD 'tessera_test';
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
-- npm run bench asks for a checkpoint after seeding (PostgreSQL 15 and later).
DO $$ BEGIN
  GRANT pg_checkpoint TO tessera_test;
EXCEPTION WHEN undefined_object THEN NULL;
END $$;
SQL
    url="postgres://tessera_test:tessera_test@127.0.0.1:5432/postgres"
  else
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ] || [ "$(id -u)" = 0 ]; then
      echo "with-postgres: no PostgreSQL answers at ${url%%@*}@… and none can be started here; install postgresql (Debian: apt-get install postgresql) or set TESSERA_TEST_PG_URL" >&2
      exit 1
    fi
    data=$(mktemp -d "${TMPDIR:-/tmp}/tessera-pg.XXXXXX")
    port=$((20000 + RANDOM % 20000))
    "$bin/initdb" -D "$data" -U tessera_test --auth=trust >/dev/null
    "$bin/pg_ctl" -D "$data" -l "$data/log" -o "-p $port -k $data -c listen_addresses=127.0.0.1" -w start >/dev/null
    trap '"$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null; rm -rf "$data"' EXIT
    url="postgres://tessera_test@127.0.0.1:$port/postgres"
  fi
fi
export TESSERA_TEST_PG_URL="$url"
"$@"
