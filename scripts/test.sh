#!/usr/bin/env bash
# The test command: installs what the suite needs and is missing, then runs
# the whole suite with the race detector. `.ci/run` calls exactly this.
#
#   scripts/test.sh                        # go test -race -count=1 ./...
#   scripts/test.sh -run TestLogin -v      # extra go test flags, every package
#   scripts/test.sh ./test/e2e -run Login  # leading package patterns replace ./...
#
# The tests start their own throwaway servers (test/pgtest, test/redistest):
# a PostgreSQL cluster from the server binaries (initdb, postgres) and a
# redis-server. This script only makes sure those binaries exist, installing
# the Debian packages when they do not; AUTHD_TEST_DATABASE_URL and
# AUTHD_TEST_REDIS_URL point the tests at existing servers instead.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# apt_install installs Debian packages, once per run, as root or with sudo.
apt_updated=""
apt_install() {
	local sudo=()
	if [[ "$(id -u)" != "0" ]]; then
		sudo=(sudo)
	fi
	if [[ -z "${apt_updated}" ]]; then
		"${sudo[@]}" apt-get update -qq
		apt_updated=yes
	fi
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# on_path reports whether an executable named $1 is on PATH (bash's
# command -v also names a file that is not executable).
on_path() {
	local p
	p="$(command -v "$1" 2>/dev/null)" && [[ -x "${p}" ]]
}

# The places test/pgtest and test/redistest look for their servers.
have_postgres() {
	on_path initdb && return 0
	local f
	for f in /usr/lib/postgresql/*/bin/initdb /usr/pgsql-*/bin/initdb; do
		[[ -x "${f}" ]] && return 0
	done
	return 1
}
have_redis() {
	on_path redis-server || [[ -x /usr/bin/redis-server || -x /usr/local/bin/redis-server ]]
}

ensure_servers() {
	if [[ -z "${AUTHD_TEST_DATABASE_URL:-}" ]] && ! have_postgres; then
		echo "test.sh: installing the PostgreSQL server binaries for the tests"
		apt_install postgresql
	fi
	if [[ -z "${AUTHD_TEST_REDIS_URL:-}" ]] && ! have_redis; then
		echo "test.sh: installing redis-server for the tests"
		apt_install redis-server
	fi
}

# Leading package patterns (./x, ./x/...) replace the default ./...; every
# other argument is passed to go test as is.
packages=()
while [[ $# -gt 0 && "$1" == .* ]]; do
	packages+=("$1")
	shift
done
if [[ ${#packages[@]} -eq 0 ]]; then
	packages=(./...)
fi

ensure_servers

# One pass over the whole suite, then the end-to-end suite a second time
# with sessions in Redis (sessions.store=redis, the test binary starts its
# own redis-server), when the first pass covered it.
go test -race -count=1 "${packages[@]}" "$@"
for p in "${packages[@]}"; do
	if [[ "$p" == "./..." || "$p" == ./test/e2e* ]]; then
		AUTHD_E2E_SESSIONS_STORE=redis go test -race -count=1 ./test/e2e "$@"
		break
	fi
done
