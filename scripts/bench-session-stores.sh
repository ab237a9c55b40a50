#!/usr/bin/env bash
# Compares the two session stores under the same load: authd with
# sessions.store=sql, then with sessions.store=redis, both on one throwaway
# PostgreSQL (durable: fsync and synchronous_commit on) and, for the second,
# one throwaway redis-server (durable too: appendonly, appendfsync always).
# For each store it runs the authload generator on POST /v1/auth/refresh and
# GET /v1/auth/me at 16 and 64 clients and prints authload's line (rps,
# latency percentiles, CPU per request of authd and PostgreSQL) with the CPU
# per request of redis-server added.
#
#   scripts/bench-session-stores.sh
#   DURATION=30s WARMUP=5s CLIENTS="16 64" STORES="redis sql" REDIS_FSYNC=everysec scripts/bench-session-stores.sh
#
# AUTHLOAD_DIR points at the generator's source (default /work/shared/bench/authload).
# Run it on a quiet machine: the numbers are only as steady as the host.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-5s}"
CLIENTS="${CLIENTS:-16 64}"
USERS="${USERS:-64}"
REDIS_FSYNC="${REDIS_FSYNC:-always}"
STORES="${STORES:-sql redis}" # the order of the runs; repeat a store to see the noise
AUTHLOAD_DIR="${AUTHLOAD_DIR:-/work/shared/bench/authload}"

work="$(mktemp -d /tmp/authd-bench.XXXXXX)"
chmod 755 "${work}"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "${work}"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# cpu_seconds PID: user+system CPU of the process, from /proc.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); print ($12 + $13) / hz}' "/proc/$1/stat"; }

echo "building authd and authload in ${work}"
go build -o "${work}/authd" ./cmd/authd
(cd "${AUTHLOAD_DIR}" && go build -o "${work}/authload" .)

# PostgreSQL refuses to run as root: run it as postgres (or nobody) then.
pgbin="$(dirname "$(readlink -f "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")"
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
	pguser=postgres; id postgres >/dev/null 2>&1 || pguser=nobody
	as_pg=(runuser -u "${pguser}" --)
	mkdir -p "${work}/pg" && chown "${pguser}" "${work}/pg"
fi
pgport="$(free_port)"
"${as_pg[@]}" "${pgbin}/initdb" -D "${work}/pg/data" -A trust -U postgres -E UTF8 --no-locale >/dev/null
"${as_pg[@]}" "${pgbin}/postgres" -D "${work}/pg/data" -p "${pgport}" -k "${work}/pg" \
	-c listen_addresses=127.0.0.1 -c max_connections=200 >"${work}/pg.log" 2>&1 &
pids+=($!)
until "${pgbin}/pg_isready" -q -h 127.0.0.1 -p "${pgport}"; do sleep 0.2; done
pgpid="$(head -1 "${work}/pg/data/postmaster.pid")"

rport="$(free_port)"
redis-server --port "${rport}" --bind 127.0.0.1 --dir "${work}" --save "" \
	--appendonly yes --appendfsync "${REDIS_FSYNC}" >"${work}/redis.log" 2>&1 &
rpid=$!
pids+=("${rpid}")
until redis-cli -p "${rport}" ping >/dev/null 2>&1; do sleep 0.2; done

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); postgres $("${pgbin}/postgres" --version | awk '{print $3}'), $(redis-server --version | awk '{print $3}'), redis appendfsync ${REDIS_FSYNC}"

run_store() {
	local store="$1" db="$2"
	local authd_port; authd_port="$(free_port)"
	env -i PATH="${PATH}" HOME="${work}" \
		AUTHD_ENV=test AUTHD_HTTP_ADDR="127.0.0.1:${authd_port}" AUTHD_METRICS_ADDR= \
		AUTHD_DATABASE_URL="postgres://postgres@127.0.0.1:${pgport}/${db}?sslmode=disable" \
		AUTHD_JWT_KEYS_DIR="${work}/keys-${db}" AUTHD_LOG_LEVEL=warn \
		AUTHD_RATELIMIT_ENABLED=false AUTHD_AUTH_MAX_SESSIONS_PER_USER=1000 \
		AUTHD_PASSWORD_ARGON2_MEMORY_KIB=1024 AUTHD_PASSWORD_ARGON2_ITERATIONS=1 \
		AUTHD_SESSIONS_STORE="${store}" AUTHD_SESSIONS_REDIS_URL="redis://127.0.0.1:${rport}/0" \
		"${work}/authd" >"${work}/authd-${db}.log" 2>&1 &
	local apid=$!
	until curl -sf "http://127.0.0.1:${authd_port}/readyz" >/dev/null; do sleep 0.2; done
	for c in ${CLIENTS}; do
		for scenario in refresh me; do
			rm -f "${work}/redis0"
			"${work}/authload" -api authsvc -base "http://127.0.0.1:${authd_port}" -scenario "${scenario}" \
				-c "${c}" -d "${DURATION}" -warmup "${WARMUP}" -users "${USERS}" -pid "${apid}" -pgpid "${pgpid}" \
				2> >(while IFS= read -r line; do
					[[ "${line}" == *"] measuring "* ]] && cpu_seconds "${rpid}" >"${work}/redis0"
					echo "${line}" >>"${work}/authload.err"
				done) >"${work}/out"
			local r1 n r0
			r1="$(cpu_seconds "${rpid}")"
			sleep 0.2 # the stderr reader has written redis0 by now
			r0="$(cat "${work}/redis0")"
			n="$(grep -o ' n=[0-9]*' "${work}/out" | cut -d= -f2)"
			echo "store=${store} $(cat "${work}/out") redis_cpu_s=$(awk -v a="${r0}" -v b="${r1}" 'BEGIN{printf "%.2f", b-a}') redis_cpu_ms_per_req=$(awk -v a="${r0}" -v b="${r1}" -v n="${n}" 'BEGIN{printf "%.3f", n ? (b-a)/n*1000 : 0}')"
		done
	done
	kill "${apid}"; wait "${apid}" 2>/dev/null || true
}

run=0
for store in ${STORES}; do
	run=$((run + 1))
	"${pgbin}/createdb" -h 127.0.0.1 -p "${pgport}" -U postgres "authd_${run}"
	redis-cli -p "${rport}" flushall >/dev/null
	run_store "${store}" "authd_${run}"
done
