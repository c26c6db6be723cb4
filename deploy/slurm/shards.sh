#!/usr/bin/env bash
# One array task = one shard of a large replication run: task K of N runs replications
# [(K-1)·R/N, K·R/N) and writes its partial result to $OUT/K. Submit with submit.sh (which also
# queues the merge), or alone:  sbatch --array=1-20 deploy/slurm/shards.sh
#
# Settings (environment, exported by submit.sh): SCENARIO, REPLICATIONS, OUT, HOTLINE. The
# #SBATCH resources below are defaults: submit.sh overrides them from CPUS, MEM, TIME, PARTITION
# and ACCOUNT, and --threads follows the CPUs given to the task.
#SBATCH --job-name=hotline-shard
#SBATCH --array=1-20
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=02:00:00
#SBATCH --output=hotline-shard-%A_%a.log
set -euo pipefail
: "${SCENARIO:?set SCENARIO to the scenario file}"
: "${REPLICATIONS:=1000}"
: "${OUT:=shards}"
: "${HOTLINE:=hotline}"
K=${SLURM_ARRAY_TASK_ID}
# Shards are numbered 1..N; N is the size of the array (it must start at 1).
N=${SLURM_ARRAY_TASK_COUNT}
"$HOTLINE" simulate "$SCENARIO" --replications "$REPLICATIONS" --shard "$K/$N" \
  --threads "${SLURM_CPUS_PER_TASK:-1}" --out "$OUT/$K" --quiet
