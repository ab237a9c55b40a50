#!/usr/bin/env bash
# loadrun.sh: a repeatable load run of authd against PostgreSQL, with the
# machine's own ceilings measured on the same cluster in the same run.
#
#   scripts/loadrun.sh [AUTHD_BINARY [OTHER_AUTHD_BINARY]] > results.txt
#
# With two binaries (before and after a change, say), both run side by side
# on the same cluster, each on a database of its own, and every scenario is
# run on one and then the other, so that a machine whose load changes
# during the run treats them alike.
#
# It starts a throwaway PostgreSQL 15 cluster (initdb in a temporary
# directory, as the postgres user when run as root, pg_stat_statements
# loaded), then:
#   1. pgbench TPC-B (scale 10) and select-only (-S), 16 and 64 clients;
#   2. authd (the given binary, else one built from this checkout) on that
#      cluster at its default settings, except that the per-IP rate limits
#      are off (the load generator sends everything from one address);
#   3. the load generator authload (../shared/bench/authload, or $AUTHLOAD)
#      on refresh, me and login at 16 and 64 clients, reporting requests/s,
#      p99, CPU per request of authd and PostgreSQL, and authd's peak RSS;
#      pg_stat_statements is reset before each scenario, and the statements
#      and transactions per request are printed after it;
#   4. 500 concurrent logins on a freshly restarted authd, reporting its
#      peak RSS (VmHWM) during the burst, and its RSS at rest before and after.
# Everything it starts is stopped at the end; nothing is left behind.
#
# Knobs (environment): DURATION (20s), WARMUP (5s), CLIENTS ("16 64"),
# SCENARIOS ("refresh me login"), PGPORT (55432), AUTHD_PORT (18080),
# PGBENCH (1; 0 skips the ceilings, for a quick comparison of binaries).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-5s}"
CLIENTS="${CLIENTS:-16 64}"
SCENARIOS="${SCENARIOS:-refresh me login}"
PGPORT="${PGPORT:-55432}"
AUTHD_PORT="${AUTHD_PORT:-18080}"
pgbench_secs="${DURATION%s}"

work="$(mktemp -d /tmp/authd-loadrun-XXXXXX)"
chmod 755 "${work}"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null && wait "${pid}" 2>/dev/null || true; done
	as_pg pg_ctl -D "${work}/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "${work}"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root.
as_pg() {
	if [[ "$(id -u)" == 0 ]]; then
		setpriv --reuid=postgres --regid=postgres --init-groups env PATH="${PATH}" "$@"
	else
		"$@"
	fi
}
[[ "$(id -u)" == 0 ]] && chown postgres: "${work}"

bins=("$@")
if [[ ${#bins[@]} == 0 ]]; then
	bins=("${work}/authd")
	(cd "${here}" && go build -o "${bins[0]}" ./cmd/authd)
fi
authload="${AUTHLOAD:-}"
if [[ -z "${authload}" ]]; then
	authload="${work}/authload"
	(cd "${here}/../shared/bench/authload" 2>/dev/null || cd /work/shared/bench/authload; go build -o "${authload}" .)
fi

echo "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# authd: ${bins[*]}; $(date -u +%FT%TZ)"

as_pg initdb -D "${work}/data" -A trust -U postgres -E UTF8 --no-locale >/dev/null
as_pg pg_ctl -D "${work}/data" -l "${work}/pg.log" -w start -o "-p ${PGPORT} -k ${work} \
	-c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB \
	-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" >/dev/null
pgpid="$(head -1 "${work}/data/postmaster.pid")"
psql_c() { psql -X -q -At -h 127.0.0.1 -p "${PGPORT}" -U postgres "$@"; }
psql_c -d postgres -c "CREATE DATABASE bench" -c "CREATE EXTENSION pg_stat_statements"

[[ "${PGBENCH:-1}" == 0 ]] && CEILINGS="" || CEILINGS="${CLIENTS}"
echo "## pgbench (scale 10, ${pgbench_secs}s each)"
pgbench -q -i -s 10 -h 127.0.0.1 -p "${PGPORT}" -U postgres bench >/dev/null 2>&1
for c in ${CEILINGS}; do
	for mode in tpcb select; do
		flag=""
		[[ "${mode}" == select ]] && flag="-S"
		tps="$(pgbench ${flag} -c "${c}" -j 2 -T "${pgbench_secs}" -h 127.0.0.1 -p "${PGPORT}" -U postgres bench 2>/dev/null |
			awk '/^tps/ {print $3; exit}')"
		echo "pgbench mode=${mode} c=${c} tps=${tps}"
	done
done

echo "## authd"
# start_authd I [again]: the I-th binary on port AUTHD_PORT+I and database
# authdI; with "again", a fresh process on the database it already has.
ports=() dbs=()
start_authd() {
	local i=$1 bin=${bins[$1]}
	ports[i]=$((AUTHD_PORT + i)) dbs[i]="authd${i}"
	if [[ "${2:-}" != again ]]; then
		psql_c -d postgres -c "CREATE DATABASE ${dbs[i]}"
		mkdir -p "${work}/keys${i}"
	env AUTHD_ENV=production AUTHD_HTTP_ADDR="127.0.0.1:${ports[i]}" AUTHD_METRICS_ADDR="" \
		AUTHD_DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT}/${dbs[i]}?sslmode=disable" \
		AUTHD_JWT_KEYS_DIR="${work}/keys${i}" AUTHD_RATELIMIT_ENABLED=false "${bin}" keys generate >/dev/null
	fi
	env AUTHD_ENV=production AUTHD_HTTP_ADDR="127.0.0.1:${ports[i]}" AUTHD_METRICS_ADDR="" \
		AUTHD_DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT}/${dbs[i]}?sslmode=disable" \
		AUTHD_JWT_KEYS_DIR="${work}/keys${i}" AUTHD_RATELIMIT_ENABLED=false "${bin}" serve >"${work}/authd${i}.log" 2>&1 &
	pids[i]=$!
	for _ in $(seq 100); do
		curl -fs "http://127.0.0.1:${ports[i]}/readyz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	echo "authd[${i}] ${bin} rest_rss_kb=$(rss "${i}" VmRSS) (just started)"
}
rss() { awk -v k="$2:" '$1 == k {print $2}' "/proc/${pids[$1]}/status"; }
# load I ARGS...: authload against the I-th authd.
load() {
	local i=$1
	shift
	"${authload}" -api authsvc -base "http://127.0.0.1:${ports[i]}" -pid "${pids[i]}" "$@"
}
# statements I: pg_stat_statements' calls in the I-th database since the
# last reset, and the transactions (COMMIT or ROLLBACK) among them.
statements() {
	psql_c -d postgres -F ' ' -c "SELECT sum(calls), coalesce(sum(calls) FILTER (WHERE query ILIKE 'commit%' OR query ILIKE 'rollback%'), 0)
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '${dbs[$1]}')"
}
reset() { psql_c -d postgres -c "SELECT pg_stat_statements_reset()" >/dev/null; }
for i in "${!bins[@]}"; do start_authd "${i}"; done

for c in ${CLIENTS}; do
	for s in ${SCENARIOS}; do
		for i in "${!bins[@]}"; do
			reset
			line="$(load "${i}" -c "${c}" -d "${DURATION}" -warmup "${WARMUP}" -users 64 -precreate-c 1 -scenario "${s}" \
				-pgpid "${pgpid}" 2>"${work}/authload.err" | tail -1)" ||
				{ echo "authd[${i}] ${s} c=${c} failed:"; tail -5 "${work}/authload.err"; }
			read -r calls commits < <(statements "${i}")
			echo "authd[${i}] ${line} pg_calls=${calls} pg_commits=${commits}"
		done
	done
done

echo "## statements per request (pg_stat_statements: calls of each statement over 3 s of c=16, n = requests answered)"
for i in "${!bins[@]}"; do
	for s in refresh me; do
		reset
		n="$(load "${i}" -c 16 -d 3s -warmup 0 -users 16 -precreate-c 1 -scenario "${s}" 2>/dev/null | tail -1 |
			sed -n 's/.* n=\([0-9]*\).*/\1/p')" || true
		psql_c -d postgres -c "SELECT calls, left(regexp_replace(query, '\s+', ' ', 'g'), 80) FROM pg_stat_statements
			WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '${dbs[i]}') ORDER BY calls DESC LIMIT 8" |
			sed "s/^/authd[${i}] ${s} n=${n} | /"
	done
done

echo "## 500 concurrent logins (each authd restarted first)"
for i in "${!bins[@]}"; do
	kill "${pids[i]}" && wait "${pids[i]}" 2>/dev/null || true
	start_authd "${i}" again >/dev/null
	sleep 2
	echo "authd[${i}] rest_rss_kb=$(rss "${i}" VmRSS) (before)"
	echo "authd[${i}] $(load "${i}" -c 500 -d 10s -warmup 0 -users 100 -precreate-c 1 -scenario login 2>/dev/null | tail -1 || true)"
	sleep 10
	echo "authd[${i}] rest_rss_kb=$(rss "${i}" VmRSS) (10 s after) peak_vmhwm_kb=$(rss "${i}" VmHWM)"
done
