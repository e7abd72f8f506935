#!/usr/bin/env bash
# A single-node Slurm cluster in one folder, for the tests: munged, slurmctld and slurmd started
# as root in the background (no systemd), and stopped again.
#
#   tests/slurm/cluster.sh start DIR CTLD_PORT SLURMD_PORT   writes DIR/slurm.conf, starts the daemons
#   tests/slurm/cluster.sh stop DIR                          stops them (and every job they run)
#
# Clients then need SLURM_CONF=DIR/slurm.conf. Prints why and exits non-zero when it cannot start.
set -euo pipefail
cmd="${1:?start or stop}"
dir="$(mkdir -p "${2:?folder}" && cd "$2" && pwd)"

fail() { echo "slurm test cluster: $*" >&2; exit 1; }

stop_pidfile() {
  local f="$1"
  [ -f "$f" ] || return 0
  local pid; pid="$(cat "$f")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

if [ "$cmd" = stop ]; then
  export SLURM_CONF="$dir/slurm.conf"
  scancel --quiet --full --user=root 2>/dev/null || true
  stop_pidfile "$dir/slurmd.pid"
  stop_pidfile "$dir/slurmctld.pid"
  stop_pidfile "$dir/munge/munged.pid"
  exit 0
fi
[ "$cmd" = start ] || fail "unknown command $cmd (start or stop)"
ctld_port="${3:?slurmctld port}"; slurmd_port="${4:?slurmd port}"
[ "$(id -u)" -eq 0 ] || fail "needs root (slurmd runs jobs as their user; this cluster has only root)"
for tool in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || fail "$tool is missing: install slurm-wlm and munge (./antidote test does)"
done
export PATH="$PATH:/usr/sbin"

mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 700 "$dir/munge"
if [ ! -f "$dir/munge/munge.key" ]; then
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
fi
munged --force </dev/null --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
  || fail "munged did not start: $(tail -3 "$dir/munge/munged.log" 2>/dev/null)"

# RealMemory must be set: its default of 1 MB makes any --mem request unschedulable.
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
cat > "$dir/slurm.conf" <<CONF
ClusterName=antidote-test
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
JobRequeue=1
ReturnToService=2
MpiDefault=none
SchedulerParameters=sched_interval=1
MinJobAge=600
KillWait=60
NodeName=localhost CPUs=2 RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$dir/slurm.conf" </dev/null || fail "slurmctld did not start: $(tail -3 "$dir/log/slurmctld.log" 2>/dev/null)"
# The machine's hostname is not localhost: name the node explicitly.
slurmd -f "$dir/slurm.conf" -N localhost </dev/null || fail "slurmd did not start: $(tail -3 "$dir/log/slurmd.log" 2>/dev/null)"
for _ in $(seq 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -q '^idle'; then exit 0; fi
  sleep 0.5
done
fail "the node did not come up idle within 30 s: $(sinfo 2>&1 | tail -2); $(tail -3 "$dir/log/slurmctld.log") $(tail -3 "$dir/log/slurmd.log")"
