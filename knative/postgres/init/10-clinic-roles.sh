#!/usr/bin/env bash
# Runs once, when the postgres image's entrypoint initialises an empty data directory (every
# file in /docker-entrypoint-initdb.d runs then, and never again). Creates the clinic's database
# and its two roles with the passwords from the Secret db-secret, which scripts/deploy generates.
# Changing a password later is ALTER ROLE ... PASSWORD, plus the matching key of db-secret.
set -eo pipefail
: "${BOOKING_OWNER_PASSWORD:?is not set: db-secret key owner-password}"
: "${BOOKING_APP_PASSWORD:?is not set: db-secret key app-password}"
psql --no-psqlrc --set=ON_ERROR_STOP=1 \
  --username="${POSTGRES_USER:-postgres}" --dbname=postgres \
  --set=owner_password="${BOOKING_OWNER_PASSWORD}" \
  --set=app_password="${BOOKING_APP_PASSWORD}" \
  --file="$(dirname "${BASH_SOURCE[0]}")/clinic-roles.psql"
