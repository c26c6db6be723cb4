#!/usr/bin/env bash
# Runs the Slurm recipe (submit.sh → shards.sh job array → dependent merge) on a real one-node
# Slurm on this machine, and checks that the merged CSVs are byte-identical to one
# `hotline simulate --replications` run. CI runs it after the tests (.ci/run).
#
#   deploy/slurm/test-local.sh                 # exit 0: merged = single run, byte for byte
#   deploy/slurm/test-local.sh --broken-shard  # the shards get a scenario path that does not
#                                              # exist: must fail (exit 1) naming the shards
#
# Needs root (as CI and these machines run): installs Debian's munge, slurmctld, slurmd and
# slurm-client where missing, then starts its own munged, slurmctld and slurmd with their
# config, sockets, state, logs and pid files in one temporary folder (no systemd, nothing in
# /etc), on free TCP ports of 127.0.0.1, and stops them by their pid files on exit.
#
# Settings (environment): HOTLINE (binary; default target/debug/hotline, what `cargo test`
# builds), SCENARIO (default scenarios/bank-hotline.toml), REPLICATIONS (6), SHARDS (4),
# CPUS (1) and MEM (500M) per shard task, WAIT_S (150: bound on the wait for the merge), KEEP
# (the temporary folder is removed after a pass and kept after a failure; KEEP=1 always keeps
# it, KEEP=0 never).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

broken=false
case ${1:-} in
  "") ;;
  --broken-shard) broken=true ;;
  *) echo "usage: $0 [--broken-shard]" >&2; exit 2 ;;
esac

HOTLINE=$(realpath "${HOTLINE:-target/debug/hotline}")
SCENARIO=$(realpath "${SCENARIO:-scenarios/bank-hotline.toml}")
REPLICATIONS=${REPLICATIONS:-6}
SHARDS=${SHARDS:-4}
CPUS=${CPUS:-1}
MEM=${MEM:-500M}
WAIT_S=${WAIT_S:-150}

fail() { echo "FAIL (slurm test): $*" >&2; exit 1; }
say() { echo "slurm test: $*"; }

[[ $(id -u) == 0 ]] || fail "run as root: it installs packages and runs slurmd, which starts jobs"
[[ -x $HOTLINE ]] || fail "no binary at $HOTLINE: build it first (cargo build) or set HOTLINE"

# --- install what is missing (Debian 12: Slurm 22.05, munge 0.5) ------------------------------
missing=()
command -v munged >/dev/null || missing+=(munge)
command -v slurmctld >/dev/null || missing+=(slurmctld)
command -v slurmd >/dev/null || missing+=(slurmd)
command -v sbatch >/dev/null || missing+=(slurm-client)
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null
fi

# --- a one-node cluster in a temporary folder -------------------------------------------------
tmp=$(mktemp -d /tmp/hotline-slurm.XXXXXX)
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/work"
export SLURM_CONF=$tmp/slurm.conf # read by sbatch, squeue, scontrol, sinfo, scancel

jobs_to_cancel=()
stop() {
  local rc=$? pidfile pid
  trap - EXIT
  if ((${#jobs_to_cancel[@]})); then
    # Cancel before stopping slurmd, so that no shard outlives the test.
    scancel "${jobs_to_cancel[@]}" 2>/dev/null || true
    for _ in $(seq 100); do
      [[ -z $(squeue -h -t running,completing 2>/dev/null) ]] && break
      sleep 0.1
    done
  fi
  for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munge/munged.pid"; do
    [[ -s $pidfile ]] || continue
    pid=$(<"$pidfile")
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP:-} == 1 || ($rc != 0 && ${KEEP:-} != 0) ]]; then
    echo "slurm test: logs and state kept in $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap stop EXIT
trap 'exit 130' INT TERM

# Two free ports (another engineer's test may hold 6817/6818 on a shared machine).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ports=()
for p in $(seq 16817 16899); do
  if port_free "$p"; then ports+=("$p"); fi
  ((${#ports[@]} < 2)) || break
done
((${#ports[@]} == 2)) || fail "no two free TCP ports in 16817-16899"

node=$(hostname -s)
cpus=$(nproc)
# RealMemory in MB, as slurmd -C reports it; a node whose memory is lower than its config is
# drained, so config_overrides below keeps the node up if the two disagree by a few MB.
mem_mb=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))

cat >"$SLURM_CONF" <<EOF
ClusterName=hotline-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
# No cgroups and no accounting daemon here: track processes by /proc, squeue/scontrol for states.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=600
# Schedule at once (the default holds batch jobs for up to 3 s to group them); no mail here.
SchedulerParameters=batch_sched_delay=0
MailProg=/bin/true
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=hotline Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

say "one node $node: $cpus CPUs, $mem_mb MB; ports ${ports[*]}; files in $tmp"
mungekey --create --keyfile="$tmp/munge/munge.key" >/dev/null 2>&1 \
  || dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 0600 "$tmp/munge/munge.key"
munged --force --socket="$tmp/munge/munge.socket" --key-file="$tmp/munge/munge.key" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" \
  --seed-file="$tmp/munge/munged.seed" 2>"$tmp/munge/start.err" \
  || fail "munged did not start: $(cat "$tmp/munge/start.err")"
slurmctld -f "$SLURM_CONF" -i || fail "slurmctld did not start: see $tmp/slurmctld.log"
slurmd -f "$SLURM_CONF" -N "$node" || fail "slurmd did not start: see $tmp/slurmd.log"

state=""
for _ in $(seq 60); do
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
  [[ $state == idle ]] && break
  sleep 0.5
done
[[ $state == idle ]] || fail "node $node is '${state:-unknown}', not idle, after 30 s: see $tmp/slurmd.log and $tmp/slurmctld.log"

# --- submit through the recipe ----------------------------------------------------------------
scenario=$SCENARIO
if $broken; then
  scenario=$tmp/no-such-folder/$(basename "$SCENARIO")
  say "--broken-shard: the shards get $scenario, which does not exist"
fi
# TIME, PARTITION and ACCOUNT are set too, so that the test sees them reach the jobs.
submitted=$(cd "$tmp/work" && SCENARIO=$scenario REPLICATIONS=$REPLICATIONS SHARDS=$SHARDS \
  CPUS=$CPUS MEM=$MEM TIME=00:10:00 PARTITION=hotline ACCOUNT=hotline-ci HOTLINE=$HOTLINE \
  OUT=$tmp/work/shards RESULT=$tmp/work/merged "$repo/deploy/slurm/submit.sh")
echo "$submitted"
array=$(sed -nE 's/.*as job array ([0-9]+).*/\1/p' <<<"$submitted")
merge=$(sed -nE 's/.*the merge as job ([0-9]+).*/\1/p' <<<"$submitted")
[[ -n $array && -n $merge ]] || fail "could not read the job ids from submit.sh's output"
jobs_to_cancel=("$array" "$merge")

# The resources asked for reached the jobs (sbatch options over the #SBATCH lines).
first=$(scontrol show job -o "${array}_1" 2>/dev/null || scontrol show job -o "$array" | head -1)
for want in "Partition=hotline" "Account=hotline-ci" "TimeLimit=00:10:00" "MinMemoryNode=500M" \
  "CPUs/Task=$CPUS"; do
  [[ $MEM == 500M || $want != MinMemoryNode=* ]] || continue
  grep -qF " $want " <<<" $first " || fail "shard job does not show $want: $first"
done

# --- wait for the merge (bounded) -------------------------------------------------------------
shard_report() {
  # One line per shard task, in task order: state, exit code, and the end of its log when it
  # did not complete.
  local line id st code reason log
  scontrol show job -o "$array" | sed -E 's/.*ArrayTaskId=([^ ]+).*/\1 &/' | sort -n |
    while read -r id line; do
      st=$(grep -oE 'JobState=[A-Z_]+' <<<"$line" | cut -d= -f2)
      code=$(grep -oE ' ExitCode=[0-9:]+' <<<"$line" | cut -d= -f2)
      reason=$(grep -oE ' Reason=[^ ]+' <<<"$line" | cut -d= -f2)
      log=$tmp/work/hotline-shard-${array}_$id.log
      echo "  shard $id/$SHARDS (job ${array}_$id): $st, exit code $code$(
        [[ $st == PENDING ]] && echo ", pending because: $reason")"
      if [[ $st != COMPLETED && -s $log ]]; then tail -5 "$log" | sed 's/^/      /'; fi
    done
}
say "waiting up to ${WAIT_S}s for the merge job $merge"
submitted_at=$SECONDS
deadline=$((SECONDS + WAIT_S))
while :; do
  line=$(scontrol show job -o "$merge" 2>/dev/null || true)
  st=$(grep -oE 'JobState=[A-Z_]+' <<<"$line" | cut -d= -f2)
  reason=$(grep -oE ' Reason=[^ ]+' <<<"$line" | cut -d= -f2)
  case $st in
    COMPLETED) break ;;
    PENDING)
      if [[ $reason == DependencyNeverSatisfied ]]; then
        # Let the other shards end (within the bound) so that the report shows each one's fate.
        while [[ -n $(squeue -h -j "$array" 2>/dev/null) ]] && ((SECONDS < deadline)); do sleep 1; done
        shard_report >&2
        fail "a shard failed, so the merge job $merge will never run (pending: DependencyNeverSatisfied)"
      fi
      ;;
    RUNNING | CONFIGURING | COMPLETING) ;;
    *)
      shard_report >&2
      [[ -s $tmp/work/hotline-merge-$merge.log ]] && sed 's/^/      /' "$tmp/work/hotline-merge-$merge.log" >&2
      fail "the merge job $merge ended ${st:-unknown} (reason ${reason:-none})"
      ;;
  esac
  if ((SECONDS >= deadline)); then
    shard_report >&2
    fail "the merge job $merge is still ${st:-unknown} (reason ${reason:-none}) after ${WAIT_S}s"
  fi
  sleep 1
done
say "merge job $merge completed $((SECONDS - submitted_at))s after the submission; shards:"
shard_report

# --- the merged run is one run, byte for byte ---------------------------------------------------
# Every file the merge wrote (the CSVs and run.json) against the same file of one run; and no
# CSV of the single run may be missing from the merge.
"$HOTLINE" simulate "$SCENARIO" --replications "$REPLICATIONS" --out "$tmp/single" --quiet \
  --no-charts --no-xlsx >"$tmp/single.txt"
merged_files=$(cd "$tmp/work/merged" && find . -type f | sort)
single_csvs=$(cd "$tmp/single" && find . -name '*.csv' | sort)
[[ -n $single_csvs ]] || fail "the single run wrote no CSV"
missing_csvs=$(comm -23 <(echo "$single_csvs") <(echo "$merged_files"))
[[ -z $missing_csvs ]] || fail "the merge did not write $(tr '\n' ' ' <<<"$missing_csvs")"
n=0
while read -r f; do
  cmp "$tmp/single/$f" "$tmp/work/merged/$f" >&2 \
    || fail "merged ${f#./} differs from the single run's (diff $tmp/single/$f $tmp/work/merged/$f)"
  n=$((n + 1))
done <<<"$merged_files"
names=$(cd "$tmp/work/merged" && find . -type f -printf '%P\n' | sort | paste -sd ' ')
say "ok: the $n files of the merge ($names) are byte-identical" \
  "to one --replications $REPLICATIONS run ($SHARDS shards on Slurm; ${SECONDS}s in all)"
