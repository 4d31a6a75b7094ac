#!/usr/bin/env bash
# Runs the README's cluster recipes as printed and checks what they write.
#   scripts/test-cluster.sh [README.md]     (make test-cluster)
#
# Installs slurm-wlm, munge and GNU parallel from Debian when missing (as
# root), starts a one-node Slurm cluster on localhost in a temporary folder
# (munged, slurmctld, slurmd, with scripts/cluster/slurm.conf.in), makes a few
# hundred small 1-bit BMPs in subfolders of scans/, and runs each block that
# follows a `<!-- recipe: NAME -->` line of the README:
#   slurm       the sbatch script, submitted with sbatch --wait;
#   kubernetes  the Indexed Job's command line, as each pod would run it, all
#               indices at once (no control plane here);
#   parallel, xargs, files-from  as shell commands.
# Each run must write what `rlec compress-dir -r scans ref` writes (diff -r),
# each file once. Besides, one task of an array is killed (SIGKILL) midway
# and requeued, and its --skip-existing rerun must finish its part.
# rlec is $RLEC (default bin/rlec); RLEC_CLUSTER_TIMEOUT (default 120 s)
# bounds each run. Every daemon started here is stopped by its process id, on
# failure too. Ends with `test-cluster: PASS` or `test-cluster: FAIL: reason`.
set -euo pipefail
shopt -s nullglob

repo=$(cd "$(dirname "$0")/.." && pwd)
readme=${1:-$repo/README.md}
RLEC=${RLEC:-$repo/bin/rlec}
images=400      # inputs in scans/
timeout_s=${RLEC_CLUSTER_TIMEOUT:-120} # seconds, for any one run

verdict=
fail() {
  verdict="FAIL: $*"
  exit 1
}
trap 'err_at="line $LINENO: $BASH_COMMAND"' ERR
err_at=

# Times, in microseconds since the epoch, and seconds between two of them.
now() { printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"; }
since() { # VAR START: seconds from START to now, one decimal
  local t
  now t
  t=$((t - $2))
  printf -v "$1" '%d.%d' $((t / 1000000)) $((t % 1000000 / 100000))
}
say() { printf 'test-cluster: %s\n' "$*"; }
t0='' t_install='' t_cluster='' t_images='' t_stop='' # set by now and since

# --- cleanup ------------------------------------------------------------------

tmp=
daemon_pids=() # munged slurmctld slurmd, as started
jobs_submitted=()
helper_pids=() # background commands that wait for jobs
cluster_up=
cleanup() {
  local rc=$? pid end
  trap - ERR
  set +e
  for pid in "${helper_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  if [[ -n $cluster_up && ${#jobs_submitted[@]} -gt 0 ]]; then
    timeout 5 scancel "${jobs_submitted[@]}" 2>/dev/null || true
    end=$((SECONDS + 10))
    while [[ $SECONDS -lt $end && -n $(timeout 2 squeue -h -o %i 2>/dev/null) ]]; do
      sleep 0.2
    done
  fi
  stop_daemons
  # What the jobs started, should any still run (their folder is $tmp).
  if [[ -n $tmp && -d $tmp ]]; then
    for pid in $(pids_under "$tmp"); do
      say "killing process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)), still running in the test's folder"
      kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
  fi
  if [[ -z $verdict ]]; then
    if [[ $rc -eq 0 ]]; then
      verdict="FAIL: ended early"
    else
      verdict="FAIL: exit status $rc${err_at:+ at $err_at}"
    fi
  fi
  say "$verdict"
  [[ $verdict == PASS ]] && exit 0
  exit 1
}
trap cleanup EXIT
trap 'verdict="FAIL: interrupted"; exit 1' INT TERM HUP

# stop_daemons: TERM each daemon started here, by its pid, then KILL.
stop_daemons() {
  local pid i n
  cluster_up=
  for ((i = ${#daemon_pids[@]} - 1; i >= 0; i--)); do
    pid=${daemon_pids[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for ((n = 0; n < 50; n++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  daemon_pids=()
}

# pids_under DIR: processes whose working folder is in DIR, but this shell.
pids_under() {
  local d pid cwd
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
    cwd=$(readlink "$d/cwd" 2>/dev/null) || continue
    [[ $cwd == "$1" || $cwd == "$1"/* ]] && echo "$pid"
  done
  return 0
}

# daemons_running: pids of processes named munged, slurmctld or slurmd.
daemons_running() {
  local d comm
  for d in /proc/[0-9]*; do
    comm=$(cat "$d/comm" 2>/dev/null) || continue
    case $comm in munged | slurmctld | slurmd) echo "${d#/proc/}" ;; esac
  done
  return 0
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rlec-cluster.XXXXXX")
chmod 755 "$tmp"
mkdir "$tmp/bin" "$tmp/logs"

# --- packages -----------------------------------------------------------------

[[ $(id -u) -eq 0 ]] || fail "run as root: the Slurm daemons here run as root"
[[ -x $RLEC ]] || fail "no rlec at $RLEC (make build)"
[[ -f $readme ]] || fail "no $readme"
ln -s "$(cd "$(dirname "$RLEC")" && pwd)/$(basename "$RLEC")" "$tmp/bin/rlec"
export PATH="$tmp/bin:$PATH"
command -v rlec >/dev/null || fail "rlec is not on PATH"

now t0
missing=()
for cmd in sbatch scancel scontrol squeue sinfo slurmctld slurmd; do
  command -v "$cmd" >/dev/null || { missing+=(slurm-wlm); break; }
done
command -v munged >/dev/null || missing+=(munge)
# moreutils has a parallel of its own; the recipes need GNU's.
parallel --version 2>/dev/null | grep 'GNU parallel' >/dev/null || missing+=(parallel)
if [[ ${#missing[@]} -gt 0 ]]; then
  before=$(daemons_running)
  apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
      >>"$tmp/logs/apt.log" 2>&1
  }
  # Update the package lists only when they lack the packages or are stale.
  if ! apt-cache show "${missing[@]}" >/dev/null 2>&1 || ! apt_install; then
    apt-get update -q >>"$tmp/logs/apt.log" 2>&1 || { tail -5 "$tmp/logs/apt.log"; fail "apt-get update failed"; }
    apt_install || { tail -20 "$tmp/logs/apt.log"; fail "apt-get install ${missing[*]} failed"; }
  fi
  # Without a policy-rc.d that forbids it, installing may start system daemons.
  for pid in $(daemons_running); do
    grep -qx "$pid" <<<"$before" && continue
    say "stopping $(cat "/proc/$pid/comm" 2>/dev/null) ($pid), started by the package install"
    kill -TERM "$pid" 2>/dev/null || true
  done
  since t_install "$t0"
  say "install: ${missing[*]}: $t_install s"
else
  since t_install "$t0"
  say "install: nothing to install ($t_install s)"
fi
for cmd in sbatch scancel scontrol squeue sinfo slurmctld slurmd munged; do
  command -v "$cmd" >/dev/null || fail "$cmd is still missing after the install"
done

# --- the cluster --------------------------------------------------------------

# port_free PORT: nothing listens on PORT at 127.0.0.1.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_cluster() {
  local host cpus ctld_port='' slurmd_port='' p i
  host=$(hostname -s)
  cpus=$(nproc)
  for p in 6817 16817 26817 36817; do
    if port_free "$p" && port_free $((p + 1)); then
      ctld_port=$p slurmd_port=$((p + 1))
      break
    fi
  done
  [[ -n $ctld_port ]] || fail "no free pair of ports for slurmctld and slurmd"
  mkdir -m 755 "$tmp/munge"
  mkdir -m 700 "$tmp/slurmctld" "$tmp/slurmd"
  sed -e "s|@HOST@|$host|g" -e "s|@CPUS@|$cpus|g" -e "s|@TMP@|$tmp|g" \
    -e "s|@CTLD_PORT@|$ctld_port|g" -e "s|@SLURMD_PORT@|$slurmd_port|g" \
    "$repo/scripts/cluster/slurm.conf.in" >"$tmp/slurm.conf"
  export SLURM_CONF=$tmp/slurm.conf

  # munged with a key of its own, owned by this user, mode 0400; --force
  # lets it run as root.
  dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$tmp/munge/munge.key"
  munged --foreground --force --socket="$tmp/munge/munge.socket" \
    --key-file="$tmp/munge/munge.key" --pid-file="$tmp/munge/munged.pid" \
    --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed" \
    >"$tmp/logs/munged.out" 2>&1 &
  daemon_pids+=($!)
  for ((i = 0; i < 100; i++)); do
    [[ -S $tmp/munge/munge.socket ]] && break
    kill -0 "${daemon_pids[0]}" 2>/dev/null || break
    sleep 0.05
  done
  munge -S "$tmp/munge/munge.socket" -n </dev/null | unmunge -S "$tmp/munge/munge.socket" >/dev/null 2>&1 ||
    { cat "$tmp/logs/munged.out"; fail "munged did not start"; }

  slurmctld -D -f "$SLURM_CONF" >"$tmp/logs/slurmctld.out" 2>&1 &
  daemon_pids+=($!)
  slurmd -D -N "$host" -f "$SLURM_CONF" >"$tmp/logs/slurmd.out" 2>&1 &
  daemon_pids+=($!)
  for ((i = 0; i < 300; i++)); do
    timeout 5 scontrol ping 2>/dev/null | grep -q 'is UP' &&
      [[ $(timeout 5 sinfo -h -n "$host" -o %t 2>/dev/null) == idle ]] && { cluster_up=1; return 0; }
    for p in "${daemon_pids[@]}"; do
      kill -0 "$p" 2>/dev/null || break 2
    done
    sleep 0.1
  done
  timeout 5 scontrol ping || true
  timeout 5 sinfo || true
  tail -n 15 "$tmp/slurmctld.log" "$tmp/slurmd.log" "$tmp/logs/slurmctld.out" "$tmp/logs/slurmd.out" 2>/dev/null || true
  fail "the Slurm cluster did not come up (node not idle within 30 s)"
}

now t0
start_cluster
since t_cluster "$t0"
say "cluster: $(slurmctld -V) on $(hostname -s), $(nproc) CPUs, up in $t_cluster s (munged, slurmctld, slurmd)"

# --- the images ---------------------------------------------------------------

work=$tmp/work # where the recipes run: scans/ in, rle/ out
mkdir "$work"

# Writes $images small .rle files by hand (2-byte LE width and height, then
# per row one byte per run: bit 7 white, bits 0-6 length; widths under 128,
# so one chunk a row), each of its own size and rows, into gen/ and its
# subfolders (some with spaces in their names); rlec decompresses them into
# the BMPs of scans/. Compressing scans/ must give gen/ back.
make_images() {
  local i w h r a sub wb hb body run
  local subs=(. box-0 box-1 box-2 box-3 box-4 box-5 box-6 "box-1/day 0" "box-2/day 1" "box-3/day 2")
  for sub in "${subs[@]}"; do mkdir -p "$tmp/gen/$sub"; done
  for ((i = 0; i < images; i++)); do
    sub=${subs[i * 7 % ${#subs[@]}]}
    w=$((20 + i % 100)) h=$((2 + i / 100))
    printf -v wb '\\x%02x\\x%02x' $((w & 255)) $((w >> 8))
    printf -v hb '\\x%02x\\x%02x' $((h & 255)) $((h >> 8))
    body=
    for ((r = 0; r < h; r++)); do
      a=$((1 + (r * 7 + i) % (w - 1))) # a black pixels, then w-a white
      printf -v run '\\x%02x\\x%02x' "$a" $((128 + w - a))
      body+=$run
    done
    printf '%b' "$wb$hb$body" >"$tmp/gen/$sub/scan-$i.rle"
  done
  rlec decompress-dir -q -r "$tmp/gen" "$work/scans"
}

now t0
make_images
nfiles=$(find "$work/scans" -type f -name '*.bmp' | wc -l)
[[ $nfiles -eq $images ]] || fail "made $nfiles images, not $images"
(cd "$work" && rlec compress-dir -q -r scans "$tmp/ref")
diff -r "$tmp/gen" "$tmp/ref" >/dev/null || fail "rlec compress-dir -r does not give back the .rle files the images were made from"
since t_images "$t0"
say "images: $nfiles BMPs in $(find "$work/scans" -type d | wc -l) folders, and the reference run, in $t_images s"

# --- helpers for the runs -----------------------------------------------------

# recipe NAME: the code block after the line `<!-- recipe: NAME -->`.
recipe() {
  awk -v name="$1" '
    $0 ~ "^<!-- recipe: " name " -->[ \t]*$" { found++; state = 1; next }
    state == 1 && /^[ \t]*$/ { next }
    state == 1 && /^```/ { state = 2; next }
    state == 1 { state = 0; next }
    state == 2 && /^```[ \t]*$/ { state = 0; closed++; next }
    state == 2 { print }
    END { exit !(found == 1 && closed == 1) }' "$readme"
}
no_recipe() { echo "no single fenced block after <!-- recipe: $1 --> in $readme"; }

# summary LOG...: "files skipped failed lines" summed over the lines
# `rlec: N files, ... [, N skipped][, N failed]` that compress-dir ends with.
summary() {
  cat -- "$@" 2>/dev/null | awk '
    /^rlec: [0-9]+ files?,/ {
      lines++; files += $2
      if (match($0, /[0-9]+ skipped/)) skipped += substr($0, RSTART, RLENGTH) + 0
      if (match($0, /[0-9]+ failed/)) failed += substr($0, RSTART, RLENGTH) + 0
    }
    END { print files + 0, skipped + 0, failed + 0, lines + 0 }'
}

# gist: the first line of standard input that is not rlec's summary line,
# and how many more there are, with the temporary folder's name left out.
gist() {
  sed "s|$tmp/||g" | awk '
    !/^rlec: [0-9]+ files?,/ && NF { n++; if (n == 1) first = $0 }
    END { if (n > 1) first = first " (and " n - 1 " more lines)"; print first }'
}

# check_tree DIR: DIR equals the reference run, and holds no temporary file.
check_tree() {
  local d
  d=$(diff -r "$1" "$tmp/ref" 2>&1) || {
    why="$1 differs from one compress-dir -r run: $(gist <<<"$d")"
    return 1
  }
}

results=() # one line per engine
failures=()
# record ENGINE TASKS FILES SECONDS [WHY]: a result line; WHY marks a failure.
record() {
  local line
  printf -v line '%-14s %6s %6s %8s  %s' "$1" "$2" "$3" "$4" "${5:-ok}"
  results+=("$line")
  say "$line"
  [[ -z ${5:-} ]] || failures+=("$1: $5")
}

# --- Slurm: the README's array ------------------------------------------------

slurm_recipe() {
  local job='' rc=0 t0 secs files skipped failed lines waiter stuck=0 reasons
  why=
  recipe slurm >"$work/rlec.sbatch" || { why=$(no_recipe slurm); return 1; }
  rm -rf "$work/rle"
  now t0
  (cd "$work" && exec timeout "$timeout_s" sbatch --wait rlec.sbatch) >"$tmp/logs/sbatch.out" 2>&1 &
  waiter=$!
  helper_pids+=("$waiter")
  # Tasks that pend for a reason other than waiting their turn (such as
  # PartitionConfig: more CPUs asked than a node has) would pend for ever.
  while kill -0 "$waiter" 2>/dev/null; do
    sleep 0.5
    if [[ -z $job ]]; then
      job=$(sed -n 's/^Submitted batch job \([0-9][0-9]*\)$/\1/p' "$tmp/logs/sbatch.out")
      [[ -n $job ]] || continue
      jobs_submitted+=("$job")
    fi
    reasons=$(timeout 5 squeue -h -j "$job" -t PD -o %r 2>/dev/null | sort -u |
      grep -vxE 'None|Priority|Resources|BeginTime|JobArrayTaskLimit' | tr '\n' ' ' || true)
    if [[ -z $reasons ]]; then
      stuck=0
    elif ((++stuck >= 10)); then
      timeout 5 squeue -j "$job" || true
      why="its tasks cannot start, pending for: $reasons(squeue above)"
      kill -TERM "$waiter" 2>/dev/null || true
      break
    fi
  done
  wait "$waiter" || rc=$?
  helper_pids=()
  since secs "$t0"
  if [[ -z $job ]]; then
    job=$(sed -n 's/^Submitted batch job \([0-9][0-9]*\)$/\1/p' "$tmp/logs/sbatch.out")
    [[ -n $job ]] || { why="sbatch failed: $(gist <"$tmp/logs/sbatch.out")"; return 1; }
    jobs_submitted+=("$job")
  fi
  if [[ -n $why ]]; then
    timeout 5 scancel "$job" || true
  elif [[ $rc -eq 124 ]]; then
    timeout 5 squeue -j "$job" || true
    timeout 5 scancel "$job" || true
    why="not done in $timeout_s s (squeue above)"
  elif [[ $rc -ne 0 ]]; then
    why="sbatch --wait exit status $rc: $(cat "$work"/slurm-"$job"_*.out /dev/null | gist)"
  fi
  local logs=("$work"/slurm-"$job"_*.out)
  read -r files skipped failed lines < <(summary "${logs[@]}")
  if [[ -z $why ]]; then
    if [[ $lines -ne ${#logs[@]} ]]; then
      why="$lines of ${#logs[@]} task logs end with rlec's summary line"
    elif [[ $files -ne $nfiles || $skipped -ne 0 || $failed -ne 0 ]]; then
      why="the tasks did $files files ($skipped skipped, $failed failed), not each of $nfiles once"
    else
      check_tree "$work/rle" || true
    fi
  fi
  record "slurm array" "${#logs[@]}" "$files" "$secs" "$why"
}

# --- Slurm: a task killed midway and requeued -----------------------------------

# An array of two tasks over the same images, each running one child process
# per image, one at a time (about 4 ms an image), so that a task is still
# running when killed. Task 1's rlec and its child are killed with SIGKILL
# once it has written a few of its outputs; the task fails, `scontrol
# requeue` puts it back, and its --skip-existing rerun must do just the files
# left.
slurm_requeue() {
  local job t0 secs pid i n_done n_part state logs files skipped failed lines
  why=
  cat >"$work/requeue.sbatch" <<'EOF'
#!/bin/sh
#SBATCH --array=0-1
rlec compress-dir -r --skip-existing --strategy process --jobs 1 --shard "$SLURM_ARRAY_TASK_ID/2" scans rle-requeue
EOF
  # Task 1's part; count_done sets n_done to how many of its outputs exist.
  local part1 f
  (cd "$work" && rlec compress-dir -q -r --shard 1/2 scans "$tmp/part1")
  mapfile -t part1 < <(cd "$tmp/part1" && find . -type f)
  n_part=${#part1[@]}
  count_done() {
    n_done=0
    for f in "${part1[@]}"; do
      [[ -e $work/rle-requeue/$f ]] && n_done=$((n_done + 1))
    done
    return 0
  }
  now t0
  job=$(cd "$work" && timeout 10 sbatch --parsable requeue.sbatch) || { why="sbatch failed"; return 1; }
  jobs_submitted+=("$job")
  # Task 1's rlec (`--shard 1/2`), not one of its children (also named rlec);
  # read from /proc, which is quicker than asking Slurm.
  local d comm args stat ppid victims
  pid=
  for ((i = 0; i < 3000; i++)); do
    for d in /proc/[0-9]*; do
      read -r comm 2>/dev/null <"$d/comm" || continue
      [[ $comm == rlec ]] || continue
      mapfile -d '' args 2>/dev/null <"$d/cmdline" || continue
      [[ " ${args[*]} " == *" --shard 1/2 "*" rle-requeue "* ]] && pid=${d#/proc/} && break
    done
    [[ -n $pid ]] && break
    sleep 0.01
  done
  [[ -n $pid ]] || { timeout 5 squeue || true; why="task 1 did not start rlec within 30 s"; return 1; }
  for ((i = 0; i < 3000; i++)); do
    count_done
    [[ $n_done -ge 5 ]] && break
    sleep 0.01
  done
  # rlec and the child converting an image, at once, as a crash would
  # (stopped first, so that it starts no other child meanwhile).
  victims=("$pid")
  kill -STOP "$pid" 2>/dev/null || true
  for d in /proc/[0-9]*; do
    read -r stat 2>/dev/null <"$d/stat" || continue
    read -r _ ppid _ <<<"${stat##*) }"
    [[ $ppid == "$pid" ]] && victims+=("${d#/proc/}")
  done
  kill -KILL "${victims[@]}" 2>/dev/null || { why="task 1 ended before it could be killed"; return 1; }
  for ((i = 0; i < 100; i++)); do
    state=$(timeout 5 squeue -h -j "${job}_1" -o %T 2>/dev/null || true)
    [[ $state == RUNNING ]] || break
    sleep 0.05
  done
  count_done
  if [[ $n_done -eq 0 || $n_done -ge $n_part ]]; then
    why="task 1 was not killed midway: $n_done of its $n_part outputs were there"
    return 1
  fi
  # Whatever the killed task left is whole: each output equals the reference's.
  d=$(diff -r "$work/rle-requeue" "$tmp/ref" | grep -v "^Only in $tmp/ref[/:]" || true)
  if [[ -n $d ]]; then
    why="after the kill: $(gist <<<"$d")"
    return 1
  fi
  timeout 10 scontrol requeue "${job}_1" || { why="scontrol requeue ${job}_1 failed"; return 1; }
  for ((i = 0; i < timeout_s * 5; i++)); do
    [[ -z $(timeout 5 squeue -h -j "$job" -o %i 2>/dev/null) ]] && break
    sleep 0.2
  done
  since secs "$t0"
  if [[ -n $(timeout 5 squeue -h -j "$job" -o %i 2>/dev/null) ]]; then
    timeout 5 squeue || true
    why="the requeued task was not done in $timeout_s s"
  fi
  logs=("$work/slurm-${job}_0.out" "$work/slurm-${job}_1.out")
  # The task's log holds the rerun's summary alone (Slurm rewrites it).
  read -r files skipped failed lines < <(summary "${logs[1]}")
  say "slurm requeue: task 1 killed (rlec and $((${#victims[@]} - 1)) child) after $n_done of its $n_part outputs; its rerun did $files, skipped $skipped"
  if [[ -z $why ]]; then
    if [[ $lines -ne 1 ]]; then
      why="the rerun's log has no summary line: $(gist <"${logs[1]}")"
    elif [[ $failed -ne 0 || $skipped -lt $n_done || $((files + skipped)) -ne $n_part || $files -eq 0 ]]; then
      why="the rerun did $files files, skipped $skipped, failed $failed; expected the $((n_part - n_done)) left of $n_part"
    else
      check_tree "$work/rle-requeue" || true
    fi
  fi
  read -r files skipped failed lines < <(summary "${logs[@]}")
  record "slurm requeue" "2+1" "$((files + skipped))" "$secs" "$why"
}

slurm_recipe || record "slurm array" - - - "$why"
slurm_requeue || record "slurm requeue" - - - "$why"

now t0
stop_daemons
since t_stop "$t0"
say "cluster: stopped in $t_stop s"

# --- the recipes that run on one machine ----------------------------------------

# shell_recipe NAME: runs the block with sh in the folder of scans/.
shell_recipe() {
  local name=$1 t0 secs rc=0 files skipped failed lines tasks
  why=
  recipe "$name" >"$tmp/$name.sh" || { record "$name" - - - "$(no_recipe "$name")"; return; }
  rm -rf "$work/rle"
  now t0
  (cd "$work" && timeout "$timeout_s" sh "$tmp/$name.sh" </dev/null) >"$tmp/logs/$name.log" 2>&1 || rc=$?
  since secs "$t0"
  read -r files skipped failed lines < <(summary "$tmp/logs/$name.log")
  tasks=$lines
  if [[ $lines -eq 0 ]]; then # rlec compress, one process per file
    files=$(find "$work/rle" -type f 2>/dev/null | wc -l || true)
    tasks=$files
  fi
  if [[ $rc -ne 0 ]]; then
    why="exit status $rc: $(gist <"$tmp/logs/$name.log")"
  elif [[ $files -ne $nfiles || $skipped -ne 0 || $failed -ne 0 ]]; then
    why="did $files files ($skipped skipped, $failed failed), not each of $nfiles once"
  else
    check_tree "$work/rle" || true
  fi
  record "$name" "$tasks" "$files" "$secs" "$why"
}

# The Indexed Job's command line, as pod k runs it with JOB_COMPLETION_INDEX=k,
# for every k below completions, all at once, in a folder standing for the
# volume the pods share (the YAML's workingDir, where scans/ is).
kubernetes_recipe() {
  local yaml t0 secs cmd n wd mnt k rc=0 pids=() files skipped failed lines
  why=
  yaml=$(recipe kubernetes) || { record kubernetes - - - "$(no_recipe kubernetes)"; return; }
  cmd=$(sed -n 's/^ *command: *\[ *"sh", *"-c", *"\(.*\)" *\] *$/\1/p' <<<"$yaml")
  n=$(sed -n 's/^ *completions: *\([0-9][0-9]*\) *$/\1/p' <<<"$yaml")
  wd=$(sed -n 's/^ *workingDir: *\([^ ]*\) *$/\1/p' <<<"$yaml")
  mnt=$(sed -n 's/.*mountPath: *\([^,} ]*\).*/\1/p' <<<"$yaml")
  if [[ -z $cmd || $cmd == *\\* ]]; then
    why='no command: ["sh", "-c", "..."] line without escapes'
  elif ! grep -q '^ *completionMode: *Indexed *$' <<<"$yaml" || [[ -z $n ]]; then
    why="not an Indexed Job with completions: N"
  elif [[ $wd != "$mnt" ]]; then
    why="the command runs in workingDir '$wd', not in the volume at '$mnt'"
  fi
  [[ -z $why ]] || { record kubernetes - - - "$why"; return; }
  rm -rf "$work/rle"
  now t0
  for ((k = 0; k < n; k++)); do
    (cd "$work" && JOB_COMPLETION_INDEX=$k exec timeout "$timeout_s" sh -c "$cmd" </dev/null) \
      >"$tmp/logs/pod-$k.log" 2>&1 &
    pids+=($!)
  done
  for k in "${!pids[@]}"; do
    wait "${pids[k]}" || { rc=$?; why="pod $k: exit status $rc: $(gist <"$tmp/logs/pod-$k.log")"; }
  done
  since secs "$t0"
  read -r files skipped failed lines < <(summary "$tmp/logs"/pod-*.log)
  if [[ -z $why ]]; then
    if [[ $lines -ne $n ]]; then
      why="$lines of $n pods printed rlec's summary line"
    elif [[ $files -ne $nfiles || $skipped -ne 0 || $failed -ne 0 ]]; then
      why="the pods did $files files ($skipped skipped, $failed failed), not each of $nfiles once"
    else
      check_tree "$work/rle" || true
    fi
  fi
  record "kubernetes" "$n" "$files" "$secs" "$why"
}

shell_recipe parallel
shell_recipe xargs
kubernetes_recipe
shell_recipe files-from

# --- the verdict --------------------------------------------------------------

say "ran, from $readme ($(rlec --version 2>/dev/null || echo rlec)):"
printf '  %-14s %6s %6s %8s  %s\n' engine tasks files seconds result
printf '  %s\n' "${results[@]}"
printf '  install %s s, cluster start %s s, cluster stop %s s, images %s s\n' \
  "$t_install" "$t_cluster" "$t_stop" "$t_images"
if [[ ${#failures[@]} -gt 0 ]]; then
  verdict="FAIL: $(printf '%s; ' "${failures[@]}")"
  verdict=${verdict%; }
  exit 1
fi
verdict=PASS
