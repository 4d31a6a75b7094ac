#!/usr/bin/env bash
# Compares rlec with cp, libtiff (tiffcp), netpbm and Pillow on the
# performance workloads, and pool with serial, and prints median wall times
# and their ratios: BMP in and out, every other format in (the 40-Mpixel page
# as PBM, 1-bit PNG and G4 TIFF, a 600-dpi grey page as PGM and PNG), and
# every format out.
#   compare.sh [WORKLOAD_DIR]   (default /tmp/rlec-workloads)
# Renders the workloads with ../shared/scripts/make-workloads.sh, and the
# other formats with Ghostscript, when they are missing; installs hyperfine,
# libtiff-tools, netpbm, python3-pil and jq from Debian when missing.
# FORMATS_ONLY=1 skips the BMP tables.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/tmp/rlec-workloads}
runs=${RUNS:-40}
need=()
for p in hyperfine libtiff-tools netpbm python3-pil jq ghostscript; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -f "$dir/page660.bmp" ] || bash "$here/../shared/scripts/make-workloads.sh" "$dir"
# The same 40-Mpixel page in the other 1-bit formats, and a 600-dpi grey
# page, as Ghostscript renders them.
pdf=/usr/share/doc/ghostscript/GS9_Color_Management.pdf
render() { [ -f "$dir/$1" ] || gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE="$2" -r"$3" -dFirstPage=5 -dLastPage=5 -sOutputFile="$dir/$1" "$pdf"; }
render page660.pbm pbmraw 660
render page660.png pngmono 660
render page660-g4.tif tiffg4 660
render grey600.pgm pgmraw 600
render grey600.png pnggray 600
make -s -C "$here" build
rlec=$here/bin/rlec
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$rlec" compress -f "$dir/page660.bmp" "$out/page660.rle"
# A 1-pixel image, alone and in a folder: what a run costs whatever the image
# (starting the process, making the output, exiting), which pool cannot share
# between cores. The .rle file is the header of a 1x1 image and one white run.
printf '\1\0\1\0\201' >"$out/dot.rle"
mkdir "$out/dot"
"$rlec" decompress "$out/dot.rle" "$out/dot/dot.bmp"

# measure NAME=COMMAND...: times each COMMAND under hyperfine and sets
# ms_NAME to its median in milliseconds. The runs are split into rounds in
# which the commands take turns, in reverse order every other round, so that
# a noisy neighbour, or noise that grows during a round, slows them alike.
# Each command writes to $out/o-NAME, removed before every run: every tool
# writes a new file, as in ordinary use (replacing a file costs more on ext4,
# which flushes a file renamed or truncated over another).
rounds=${ROUNDS:-4}
measure() {
  local spec name before
  before=$(cpu_ticks)
  for spec in "$@"; do : >"$out/${spec%%=*}.times"; done
  local specs=("$@") round i
  for round in $(seq "$rounds"); do
    for i in "${!specs[@]}"; do
      spec=${specs[i]}
      (( round % 2 )) || spec=${specs[${#specs[@]} - 1 - i]}
      name=${spec%%=*}
      hyperfine -N -w 2 -r $(( (runs + rounds - 1) / rounds )) --prepare "rm -rf $out/o-$name $out/o-$name.bmp $out/o-$name.pbm $out/o-$name.png $out/o-$name.tif" \
        --export-json "$out/$name.json" "${spec#*=}" >/dev/null 2>&1
      jq '.results[0].times[]' "$out/$name.json" >>"$out/$name.times"
    done
  done
  for spec in "$@"; do
    name=${spec%%=*}
    printf -v "ms_$name" '%s' "$(sort -g "$out/$name.times" | awk '{ t[NR] = $1 } END { printf "%.3f", 1000 * (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2) }')"
  done
  steal=$(echo "$before $(cpu_ticks)" | awk '$4 > $2 { printf "%.0f%%", 100 * ($3 - $1) / ($4 - $2); exit } { print "unknown" }')
}

# cpu_ticks prints the time the host stole from this machine's vCPUs (a VM's
# hypervisor running something else on them) and the vCPUs' busy time, in
# ticks since boot, from /proc/stat. Measured on a shared host, the stolen
# share of the busy time says how far to trust the figures: wall times, and
# above all pool's gain over serial, suffer when the host takes a vCPU away.
cpu_ticks() {
  awk '/^cpu / { print $9, $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat 2>/dev/null || echo "0 0"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# ceiling SERIAL FIXED: the largest speedup over SERIAL ms that the machine's
# cores could give if all but FIXED ms of it were split between them
# perfectly: SERIAL / (FIXED + (SERIAL - FIXED) / cores). (nproc counts the
# CPUs rlec may run on, not a container's CPU quota, which pool's default
# --jobs follows; on a machine of its own the two agree.)
cores=$(nproc)
ceiling() { awk -v s="$1" -v f="$2" -v n="$cores" 'BEGIN { printf "%.2f", s / (f + (s - f) / n) }'; }
row() { printf '%-44s %9.2f ms   %s\n' "$1" "$2" "$3"; }

if [ -z "${FORMATS_ONLY:-}" ]; then
echo "machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "median of $runs runs each in $rounds interleaved rounds (hyperfine -N)"
echo
measure "cp=cp $dir/page660.bmp $out/o-cp" \
  "tiff=tiffcp -c packbits $dir/page660.tif $out/o-tiff" \
  "ser=$rlec compress -s serial $dir/page660.bmp $out/o-ser" \
  "pool=$rlec compress -s pool $dir/page660.bmp $out/o-pool" \
  "decser=$rlec decompress -s serial $out/page660.rle $out/o-decser" \
  "dec=$rlec decompress -s pool $out/page660.rle $out/o-dec"
echo "40-Mpixel page ($(wc -c <"$dir/page660.bmp") bytes; host steal $steal of busy CPU time):"
row "cp of the BMP" "$ms_cp" "baseline"
row "tiffcp -c packbits of the same pixels" "$ms_tiff" "$(ratio "$ms_tiff" "$ms_cp")x cp"
row "rlec compress --strategy serial" "$ms_ser" "$(ratio "$ms_ser" "$ms_cp")x cp, $(ratio "$ms_ser" "$ms_tiff")x tiffcp"
row "rlec compress --strategy pool" "$ms_pool" "$(ratio "$ms_pool" "$ms_cp")x cp, $(ratio "$ms_pool" "$ms_tiff")x tiffcp"
row "rlec decompress --strategy serial" "$ms_decser" "$(ratio "$ms_decser" "$ms_cp")x cp"
row "rlec decompress --strategy pool" "$ms_dec" "$(ratio "$ms_dec" "$ms_cp")x cp"
echo
measure "bigser=$rlec compress -s serial $dir/page1200.bmp $out/o-bigser" \
  "bigpool=$rlec compress -s pool $dir/page1200.bmp $out/o-bigpool" \
  "dot=$rlec compress -s serial $out/dot/dot.bmp $out/o-dot"
echo "135-Mpixel page (host steal $steal):"
row "rlec compress of a 1-pixel image" "$ms_dot" "the fixed cost of a run"
row "rlec compress --strategy serial" "$ms_bigser" "baseline"
row "rlec compress --strategy pool" "$ms_bigpool" "$(ratio "$ms_bigser" "$ms_bigpool")x faster than serial; $cores cores allow at most $(ceiling "$ms_bigser" "$ms_dot")x"
echo
measure "dirser=$rlec compress-dir -q -s serial $dir/pages $out/o-dirser" \
  "dirpool=$rlec compress-dir -q -s pool $dir/pages $out/o-dirpool" \
  "dotdir=$rlec compress-dir -q -s serial $out/dot $out/o-dotdir"
echo "folder of $(ls "$dir/pages" | wc -l) pages at 300 dpi (host steal $steal):"
row "rlec compress-dir of a 1-pixel image" "$ms_dotdir" "the fixed cost of a run"
row "rlec compress-dir --strategy serial" "$ms_dirser" "baseline"
row "rlec compress-dir --strategy pool" "$ms_dirpool" "$(ratio "$ms_dirser" "$ms_dirpool")x faster than serial; $cores cores allow at most $(ceiling "$ms_dirser" "$ms_dotdir")x"
if [ -n "${REFERENCE:-}" ]; then # REFERENCE="command that compresses the folder"
  start=$(date +%s.%N); bash -c "$REFERENCE" >/dev/null 2>&1; end=$(date +%s.%N)
  ref_ms=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
  row "reference tool (one run)" "$ref_ms" "$(ratio "$ref_ms" "$ms_dirpool")x the time of rlec pool"
fi
echo
echo "peak memory (maximum resident set):"
for page in page660 page1200; do
  kb=$( { /usr/bin/time -f %M "$rlec" compress -f "$dir/$page.bmp" "$out/m.rle"; } 2>&1 | tail -1)
  printf '%-44s %9.1f MiB\n' "rlec compress $page.bmp" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
done
fi

# pillow SECONDS-OF CODE FILE...: prints, for each file, the median of 20
# runs of CODE in Python (f is the file, im its image), in milliseconds:
# the reference's own time, in-process, start-up left out.
pillow() {
  local code=$1; shift
  /usr/bin/python3 - "$code" "$@" <<'PY'
import sys, time
from PIL import Image
code = sys.argv[1]
for f in sys.argv[2:]:
    times = []
    for _ in range(20):
        t = time.perf_counter(); exec(code, {"Image": Image, "f": f}); times.append(time.perf_counter() - t)
    times.sort()
    print(f"{1000 * times[len(times) // 2]:.2f}")
PY
}

echo
echo "reading every format (rlec compress, whole process; Pillow in-process; host steal below):"
measure "inpbm=$rlec compress -s pool $dir/page660.pbm $out/o-inpbm" \
  "inpng=$rlec compress -s pool $dir/page660.png $out/o-inpng" \
  "intif=$rlec compress -s pool $dir/page660-g4.tif $out/o-intif" \
  "tifnone=tiffcp -c none $dir/page660-g4.tif $out/o-tifnone" \
  "inpgm=$rlec compress -s pool $dir/grey600.pgm $out/o-inpgm" \
  "ingreypng=$rlec compress -s pool $dir/grey600.png $out/o-ingreypng"
read -r pil_pbm pil_png pil_tif pil_pgm pil_greypng < <(pillow 'Image.open(f).convert("1")' \
  "$dir/page660.pbm" "$dir/page660.png" "$dir/page660-g4.tif" "$dir/grey600.pgm" "$dir/grey600.png" | tr '\n' ' ') || true
row "40 Mpixel PBM: rlec compress" "$ms_inpbm" "Pillow open+convert: $pil_pbm ms"
row "40 Mpixel 1-bit PNG: rlec compress" "$ms_inpng" "Pillow open+convert: $pil_png ms"
row "40 Mpixel G4 TIFF: rlec compress" "$ms_intif" "Pillow open+convert: $pil_tif ms; tiffcp -c none: $ms_tifnone ms"
row "600 dpi grey PGM: rlec compress" "$ms_inpgm" "Pillow open+convert: $pil_pgm ms"
row "600 dpi grey PNG: rlec compress" "$ms_ingreypng" "Pillow open+convert: $pil_greypng ms"
echo "  (host steal $steal)"

echo
echo "writing every format (rlec decompress of the 40-Mpixel page, whole process):"
"$rlec" compress -f "$dir/page660.bmp" "$out/page660.rle"
"$rlec" decompress -f "$out/page660.rle" "$out/page660.pbm"
measure "outbmp=$rlec decompress $out/page660.rle $out/o-outbmp.bmp" \
  "outpbm=$rlec decompress $out/page660.rle $out/o-outpbm.pbm" \
  "outpng=$rlec decompress $out/page660.rle $out/o-outpng.png" \
  "outtif=$rlec decompress $out/page660.rle $out/o-outtif.tif" \
  "tiffcpg4=tiffcp -c g4 $dir/page660.tif $out/o-tiffcpg4" \
  "pnmtopng=sh -c 'pnmtopng $out/page660.pbm > $out/o-pnmtopng'"
pil_save=$(pillow 'im = Image.open(f); im.load(); im.save("/dev/null", "PNG")' "$out/page660.pbm")
"$rlec" decompress -f "$out/page660.rle" "$out/s.png"; "$rlec" decompress -f "$out/page660.rle" "$out/s.tif"
tiffcp -c g4 "$dir/page660.tif" "$out/s-tiffcp.tif"
/usr/bin/python3 -c "from PIL import Image; Image.open('$out/page660.pbm').save('$out/s-pil.png')"
size() { wc -c <"$1" | tr -d ' '; }
row "BMP" "$ms_outbmp" "baseline"
row "PBM" "$ms_outpbm" "$(ratio "$ms_outpbm" "$ms_outbmp")x the BMP's time (target <= 1.0)"
row "TIFF G4" "$ms_outtif" "$(ratio "$ms_outtif" "$ms_tiffcpg4")x tiffcp -c g4's $ms_tiffcpg4 ms (target <= 1.0); size $(ratio "$(size "$out/s.tif")" "$(size "$out/s-tiffcp.tif")")x tiffcp's (target <= 1.05)"
row "PNG" "$ms_outpng" "Pillow save: $pil_save ms in-process, pnmtopng: $ms_pnmtopng ms; size $(ratio "$(size "$out/s.png")" "$(size "$out/s-pil.png")")x Pillow's (target <= 1.2)"
echo "  (host steal $steal)"
