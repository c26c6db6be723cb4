#!/usr/bin/env bash
# Submits a sharded replication run and its merge:
#   SCENARIO=scenarios/bank-hotline.toml REPLICATIONS=1000 SHARDS=20 deploy/slurm/submit.sh
# The shard folders land in $OUT/1 … $OUT/$SHARDS (a shared file system), the merged run in
# $RESULT, byte-identical to `hotline simulate $SCENARIO --replications $REPLICATIONS`.
#
# Resources (environment; passed as sbatch options, which override shards.sh's #SBATCH lines):
#   CPUS=4          CPUs per shard task; each shard runs with --threads $CPUS
#   MEM=2G          memory per shard task and for the merge (sbatch --mem: 500M, 2G, …)
#   TIME=02:00:00   time limit per shard task and for the merge (sbatch --time)
#   PARTITION=      partition for every job (unset: the cluster's default partition)
#   ACCOUNT=        account charged for every job (unset: your default account)
# A task asking for more CPUs or memory than any node of the partition has never starts: on
# 2-CPU nodes use CPUS=2 or fewer. tests: deploy/slurm/test-local.sh runs this on a real Slurm.
set -euo pipefail
: "${SCENARIO:?set SCENARIO to the scenario file}"
export SCENARIO
export REPLICATIONS=${REPLICATIONS:-1000}
export OUT=${OUT:-shards}
export HOTLINE=${HOTLINE:-hotline}
SHARDS=${SHARDS:-20}
RESULT=${RESULT:-reports/merged}
CPUS=${CPUS:-4}
MEM=${MEM:-2G}
TIME=${TIME:-02:00:00}
here=$(dirname "$0")

# Options every job gets; the shards add their CPUs (shards.sh passes SLURM_CPUS_PER_TASK,
# which sbatch sets from --cpus-per-task, to --threads).
common=(--mem="$MEM" --time="$TIME")
if [[ -n ${PARTITION:-} ]]; then common+=(--partition="$PARTITION"); fi
if [[ -n ${ACCOUNT:-} ]]; then common+=(--account="$ACCOUNT"); fi

jid=$(sbatch --parsable --export=ALL --array="1-$SHARDS" --cpus-per-task="$CPUS" "${common[@]}" \
  "$here/shards.sh")
jid=${jid%%;*} # --parsable prints "id;cluster" on a multi-cluster set-up

merge=$(printf '%q ' "$HOTLINE" merge)
for k in $(seq 1 "$SHARDS"); do merge+=$(printf '%q ' "$OUT/$k"); done
merge+=$(printf -- '--out %q' "$RESULT")
# The merge runs once every shard succeeded; a failed shard leaves it pending with the reason
# DependencyNeverSatisfied (or cancels it, where the cluster sets kill_invalid_depend).
mid=$(sbatch --parsable --dependency="afterok:$jid" --job-name=hotline-merge \
  --output=hotline-merge-%j.log --cpus-per-task=1 "${common[@]}" --wrap="$merge")
mid=${mid%%;*}
echo "submitted the shards as job array $jid (tasks 1-$SHARDS, $CPUS CPUs and $MEM each)" \
  "and the merge as job $mid (afterok:$jid); the merge writes $RESULT"
