#!/bin/bash
# Runs the sample sweep as a 4-task Slurm array plus a dependent merge on a one-node cluster
# started here, and checks the merged result against one process byte for byte; then makes
# one task fail, resubmits it alone and checks that the merge completes.
# Usage: one_node_slurm.sh ROUTERLAB_CLI SAMPLE_DATA_DIR
# Exit 77 (a CTest skip) when the daemons cannot be started here, saying why.
set -uo pipefail

CLI=$1
SAMPLE=$2
SKIP=77

skip() {
    echo "SKIP: $*"
    exit $SKIP
}

if [ "${CI:-}" != "true" ] && [ "${ROUTERLAB_CLUSTER_TEST:-}" != "1" ]; then
    skip "starts munged, slurmctld and slurmd as root: runs in CI (CI=true) or with ROUTERLAB_CLUSTER_TEST=1"
fi
[ "$(id -u)" = "0" ] || skip "needs root to run slurmd"
for tool in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol; do
    command -v "$tool" > /dev/null || skip "$tool is not installed (installer/install-deps.sh installs slurm-wlm and munge)"
done

WORK=$(mktemp -d /tmp/routerlab-slurm.XXXXXX)
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/log" "$WORK/run"
PIDS=()

stop_daemons() {
    for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munged.pid"; do
        if [ -s "$pidfile" ]; then
            pid=$(cat "$pidfile")
            kill "$pid" 2> /dev/null
            for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2> /dev/null
        fi
    done
    rm -rf "$WORK"
}
trap stop_daemons EXIT

fail() {
    echo "FAIL: $*"
    for log in "$WORK"/log/*.log "$WORK"/run/results/logs/*.log; do
        [ -f "$log" ] && { echo "--- $log"; tail -20 "$log"; }
    done
    exit 1
}

# Our own munge key, socket and ports, so that nothing of the machine's is touched.
mungekey --create --keyfile "$WORK/munge.key" > /dev/null 2>&1 || fail "mungekey"
chmod 600 "$WORK/munge.key"
munged --key-file="$WORK/munge.key" --socket="$WORK/munge.sock" --pid-file="$WORK/munged.pid" \
    --log-file="$WORK/log/munged.log" --seed-file="$WORK/munge.seed" --force \
    || skip "munged does not start here (see $WORK/log/munged.log)"

HOST=$(hostname -s)
PORT=$((17000 + RANDOM % 2000))
cat > "$WORK/slurm.conf" << CONF
ClusterName=routerlab-test
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$WORK/munge.sock
CredType=cred/munge
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$HOST CPUs=$(nproc) State=UNKNOWN
PartitionName=routerlab Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$WORK/slurm.conf

slurmctld -i || skip "slurmctld does not start here (see its log)"
slurmd || skip "slurmd does not start here"
for _ in $(seq 1 60); do
    state=$(sinfo -h -o %T 2> /dev/null | head -1)
    [ "$state" = "idle" ] && break
    sleep 1
done
[ "$state" = "idle" ] || skip "the node did not come up (state '$state')"
echo "one-node cluster up on $HOST, ports $PORT-$((PORT + 1))"

# The experiment: the sample data, three routers, 11 preferences, 3 seeds.
cd "$WORK/run"
"$CLI" sweep --dataset "$SAMPLE/sample.csv" --pool "$SAMPLE/sample.pool.json" \
    --router pickllm-ga --router pickllm-q --router thompson --seeds 3 \
    --save-experiment experiment.json || fail "save-experiment"
"$CLI" sweep --experiment experiment.json --out single.json || fail "single-process sweep"
"$CLI" cluster-script --experiment experiment.json --shards 4 --out scripts \
    --results "$WORK/run/results" > /dev/null || fail "cluster-script"

wait_for_queue() {
    for _ in $(seq 1 300); do
        [ -z "$(squeue -h 2> /dev/null)" ] && return 0
        sleep 1
    done
    fail "jobs still queued after 300 s: $(squeue)"
}

bash scripts/submit.sh || fail "submit.sh"
wait_for_queue
[ -f results/result.json ] || fail "no merged result after the array and the merge job"
cmp results/result.json single.json || fail "merged result differs from the single-process sweep"
echo "4-task array + dependent merge: result identical to one process"

# Second run: shard 2 cannot write its file, so its task fails and the merge never runs.
rm -rf results/shards/* results/result.json
mkdir results/shards/shard-0002-of-0004.json
bash scripts/submit.sh || fail "submit.sh (second run)"
for _ in $(seq 1 300); do
    # The merge waits on a dependency that can no longer be satisfied; the array is done.
    [ -z "$(squeue -h -n routerlab-shards 2> /dev/null)" ] && break
    sleep 1
done
[ -f results/result.json ] && fail "a merge ran although shard 2 failed"
scancel -n routerlab-merge 2> /dev/null
for index in 0 1 3; do
    [ -f "results/shards/shard-000$index-of-0004.json" ] || fail "shard $index missing"
done
"$CLI" merge results/shards > /dev/null 2> merge.err && fail "merge accepted a missing shard"
grep -q "index 2" merge.err || fail "merge did not name the missing shard: $(cat merge.err)"

rmdir results/shards/shard-0002-of-0004.json
(cd scripts && sbatch --array=2 sweep-array.sbatch > /dev/null) || fail "resubmitting task 2"
wait_for_queue
(cd scripts && sbatch merge.sbatch > /dev/null) || fail "resubmitting the merge"
wait_for_queue
cmp results/result.json single.json || fail "merge after the resubmitted task differs"
echo "failed task resubmitted alone (--array=2): merge completes, result identical"

# Third run: scripts and results under a folder whose name holds what the shell, Slurm's
# directive parser and its filename patterns act on (a backslash, which turns the patterns
# off, is refused by cluster-script). Everything must land in it, literally,
# and nothing in the name may run.
ODD="$WORK/run/odd 'q' \"dq\" %1 %a %% \$(touch pwned) \`touch pwned\` #x"
mkdir -p "$ODD"
"$CLI" cluster-script --experiment experiment.json --shards 2 --out "$ODD/scripts" \
    --results "$ODD/results" > /dev/null || fail "cluster-script (odd folder)"
bash "$ODD/scripts/submit.sh" || fail "submit.sh (odd folder)"
wait_for_queue
cmp "$ODD/results/result.json" single.json || fail "merged result in the odd folder differs"
for log in shard-0.log shard-1.log merge.log; do
    [ -f "$ODD/results/logs/$log" ] || fail "$log is not in the odd folder: $(find "$WORK/run" -name '*.log')"
done
[ -z "$(find "$WORK" -name pwned)" ] || fail "a command in the folder name ran"
echo "folder with quotes, %, \$(), backticks and #: scripts, logs and result in place"
exit 0
