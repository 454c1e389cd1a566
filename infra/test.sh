#!/usr/bin/env bash
# Runs every test in tiers: unit (+ bridge), then integration (real PostgreSQL, a database per test class), then browser
# (Playwright driving Debian's Chromium against the real app on a loopback port). The fault suite (its own clusters,
# mostly waiting on purpose) runs alongside the integration and browser tiers. Prints each tier's time and one summary
# line; exits non-zero if any tier failed or ran no test, after running all of them. Installs what it needs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source infra/lib/postgres.sh

ensure_packages postgresql postgresql-client chromium-headless-shell fonts-dejavu-core poppler-utils
# A real Modbus TCP/RTU server (pymodbus; serial-asyncio for RTU) and pseudo-terminal pairs (socat) for the bridge's Modbus driver tests.
ensure_packages python3-pymodbus python3-serial-asyncio socat
source infra/lib/mail.sh && ensure_mail_test_server
start_test_cluster "$root"
# Redis: the SignalR backplane and the live feed between two app instances (the cross-instance tests).
source infra/lib/redis.sh && start_test_redis "$root"
# nginx in front of two instances, from the deployment's own site file (the failover scenario of the fault suite).
ensure_packages nginx openssl gettext-base
# Microsoft's JavaScript SignalR client, for the test that proves the bridge protocol works from it.
command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
(cd tests/js-bridge-client && npm ci --no-audit --no-fund --loglevel=error)
# A real OpenID Connect provider (npm oidc-provider) for the directory sign-in tests.
(cd tests/oidc-provider && npm ci --no-audit --no-fund --loglevel=error)
# The headless shell (Debian's package of Chromium's old headless mode, what Playwright runs headless tests in): in the
# browser tier it took about half the CPU of the full browser's new headless mode, for the same engine.
export BACKOFFICE_CHROMIUM="${BACKOFFICE_CHROMIUM:-/usr/bin/chromium-headless-shell}"
# The repository's local tools (dotnet ef), pinned in .config/dotnet-tools.json. SchemaTests asks what
# `dotnet ef migrations has-pending-model-changes` would, so the tool itself is not needed for the tests.
dotnet tool restore >/dev/null

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
suite_start=$(date +%s)

echo "== build"
if ! dotnet build BackOffice.sln -c Release --nologo -v quiet; then
  echo "The build failed; no test ran." >&2
  echo "tests: 0 passed, 0 failed, 0 skipped"
  exit 1
fi
build_seconds=$(( $(date +%s) - suite_start ))

# The tests are many short-lived .NET processes (test hosts, the app as a process, the bridge) sharing two cores with
# Chromium and PostgreSQL; set after the build, which keeps the runtime's defaults.
# - Idle thread-pool threads block at once instead of spinning for work.
# - No instrumenting of methods for a profile-guided recompile that a test process rarely lives to use.
# - Fewer tier-1 recompiles: in a test process new methods keep coming and few run long enough to repay one (sampled in a
#   browser test's app process, the recompiling thread took 38 % of its CPU). Call counting waits until 5 s pass without
#   a new method (default 0.1 s) and a method is recompiled after 500 calls (default 30): the integration tier went from
#   252–263 to 199–202 CPU-s, three browser test classes from 55–64 to 48–56.
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
export DOTNET_TieredPGO=0
export DOTNET_TC_CallCountingDelayMs=5000
export DOTNET_TC_CallCountThreshold=500

# cpu_ticks: the machine's CPU time so far, busy and all (USER_HZ ticks over every core, from /proc/stat).
cpu_ticks() {
  awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; all = busy + $5 + $6; print busy, all }' /proc/stat
}

# run_tier TIER PROJECT...: the tier's projects side by side; each one's output and exit status go to $logs, and the
# tier's wall time and how busy the whole machine was meanwhile (a tier near 100 % cannot go faster by running more at
# once; the fault suite runs alongside integration and browser, so theirs includes it).
run_tier() {
  local tier="$1" start project pids=()
  shift
  start=$(date +%s)
  read -r busy_before all_before < <(cpu_ticks)
  for project in "$@"; do
    (
      name="$tier.$(basename "$project")"
      status=0
      dotnet test "$project" -c Release --no-build --nologo >"$logs/$name.log" 2>&1 || status=$?
      echo "$status" >"$logs/$name.status"
    ) &
    pids+=($!)
  done
  wait "${pids[@]}"
  echo $(( $(date +%s) - start )) >"$logs/$tier.seconds"
  read -r busy_after all_after < <(cpu_ticks)
  echo $(( 100 * (busy_after - busy_before) / (all_after - all_before + 1) )) >"$logs/$tier.busy"
}

# show_tier TIER: prints the tier's output once it is done.
show_tier() {
  echo "== $1 ($(cat "$logs/$1.seconds") s)"
  cat "$logs/$1".*.log
}

# count TIER WHAT: Passed, Failed or Skipped summed over the tier's projects, from each project's summary line.
count() {
  awk -v what="$2" '/^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
    for (i = 1; i < NF; i++) if ($i == what ":") { n = $(i + 1); sub(/,$/, "", n); sum += n }
  } END { print sum + 0 }' "$logs/$1".*.log
}

run_tier unit tests/BackOffice.UnitTests tests/BackOffice.ComponentTests tests/BackOffice.Bridge.Tests
show_tier unit
# Alongside integration and browser, which take longer: the fault suite is done before them.
run_tier fault tests/BackOffice.FaultTests &
fault_pid=$!
run_tier integration tests/BackOffice.IntegrationTests
show_tier integration
run_tier browser tests/BackOffice.BrowserTests
show_tier browser
wait "$fault_pid"
show_tier fault
total_seconds=$(( $(date +%s) - suite_start ))

# Not a test tier: the README's two commands from a checkout in a private (0700) folder (issue 16).
echo "== private-clone check"
clone_start=$(date +%s)
clone_status=0
infra/private-clone-check.sh || clone_status=$?
clone_seconds=$(( $(date +%s) - clone_start ))

passed=0 failed=0 skipped=0 status=0
echo "== times (busy: the whole machine's $(nproc) cores while the tier ran)"
printf '%-12s %4s s\n' build "$build_seconds"
for tier in unit integration browser fault; do
  tier_passed=$(count "$tier" Passed) tier_failed=$(count "$tier" Failed) tier_skipped=$(count "$tier" Skipped)
  note=""
  [ "$tier" = fault ] && note=" (alongside integration and browser)"
  printf '%-12s %4s s  busy %3s %%  %d passed, %d failed, %d skipped%s\n' "$tier" "$(cat "$logs/$tier.seconds")" \
    "$(cat "$logs/$tier.busy")" "$tier_passed" "$tier_failed" "$tier_skipped" "$note"
  if grep -qv '^0$' "$logs/$tier".*.status; then
    status=1
  fi
  if [ "$tier_passed" -eq 0 ]; then
    echo "No test of the $tier tier ran." >&2
    status=1
  fi
  passed=$((passed + tier_passed)) failed=$((failed + tier_failed)) skipped=$((skipped + tier_skipped))
done
printf '%-12s %4s s\n' total "$total_seconds"
printf '%-12s %4s s  %s\n' clone-check "$clone_seconds" "$([ "$clone_status" -eq 0 ] && echo passed || echo FAILED)"
[ "$clone_status" -eq 0 ] || status=1
# One summary line over all test projects, in the plain form CI reads.
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
