#!/usr/bin/env bash
# Submits a sharded replication run and its merge:
#   SCENARIO=scenarios/bank-hotline.toml REPLICATIONS=1000 SHARDS=20 deploy/slurm/submit.sh
# The shard folders land in $OUT/1 … $OUT/$SHARDS (a shared file system), the merged run in
# $RESULT, byte-identical to `hotline simulate $SCENARIO --replications $REPLICATIONS`.
set -euo pipefail
: "${SCENARIO:?set SCENARIO to the scenario file}"
export SCENARIO
export REPLICATIONS=${REPLICATIONS:-1000}
export OUT=${OUT:-shards}
export HOTLINE=${HOTLINE:-hotline}
SHARDS=${SHARDS:-20}
RESULT=${RESULT:-reports/merged}
here=$(dirname "$0")
jid=$(sbatch --parsable --export=ALL --array="1-$SHARDS" "$here/shards.sh")
# The merge runs once every shard succeeded; a failed shard leaves it pending (DependencyNeverSatisfied).
sbatch --parsable --dependency="afterok:$jid" --job-name=hotline-merge \
  --output=hotline-merge-%j.log \
  --wrap="$HOTLINE merge $(for k in $(seq 1 "$SHARDS"); do printf '%s ' "$OUT/$k"; done) --out $RESULT"
echo "submitted shards as job $jid; the merge writes $RESULT"
