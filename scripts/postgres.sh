#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster for the registry's tests and prints the URL of a role
# that may create databases (each test makes its own). `scripts/postgres.sh stop` stops it.
# Installs nothing: scripts/setup-system.sh installs the `postgresql` package.
set -euo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
read -r version cluster port _ < <(pg_lsclusters -h | head -1)
if [ "${1:-start}" = "stop" ]; then
  as_root pg_ctlcluster "$version" "$cluster" stop >/dev/null 2>&1 || true
  exit 0
fi
as_root pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  as_postgres pg_isready -q -p "$port" && break
  sleep 0.5
done
as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT 'CREATE ROLE portfolio_test LOGIN CREATEDB PASSWORD ''portfolio_test'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portfolio_test') \gexec
SELECT 'CREATE DATABASE portfolio_test OWNER portfolio_test'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'portfolio_test') \gexec
-- Databases the tests left behind last time.
SELECT format('DROP DATABASE %I', datname) FROM pg_database WHERE datname LIKE 'registry\_%' \gexec
SQL
echo "postgres://portfolio_test:portfolio_test@127.0.0.1:$port/portfolio_test"
