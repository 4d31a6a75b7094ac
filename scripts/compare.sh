#!/usr/bin/env bash
# Compares rlec with cp and tiffcp -c packbits on the performance workloads,
# and pool with serial, and prints median wall times and their ratios.
#   compare.sh [WORKLOAD_DIR]   (default /tmp/rlec-workloads)
# Renders the workloads with ../shared/scripts/make-workloads.sh when they are
# missing; installs hyperfine, libtiff-tools and jq from Debian when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/tmp/rlec-workloads}
runs=${RUNS:-40}
need=()
for p in hyperfine libtiff-tools jq; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -f "$dir/page660.bmp" ] || bash "$here/../shared/scripts/make-workloads.sh" "$dir"
make -s -C "$here" build
rlec=$here/bin/rlec
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$rlec" compress -f "$dir/page660.bmp" "$out/page660.rle"

# median NAME COMMAND...: runs COMMAND under hyperfine and prints its median in ms.
median() {
  local name=$1; shift
  hyperfine -N -w 5 -r "$runs" --export-json "$out/$name.json" "$*" >/dev/null 2>&1
  jq '.results[0].median * 1000' "$out/$name.json"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { printf '%-44s %9.2f ms   %s\n' "$1" "$2" "$3"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "median of $runs runs each (hyperfine -N)"
echo
cp_ms=$(median cp cp "$dir/page660.bmp" "$out/copy.bmp")
tiff_ms=$(median tiffcp tiffcp -c packbits "$dir/page660.tif" "$out/t.tif")
ser_ms=$(median serial "$rlec" compress -f -s serial "$dir/page660.bmp" "$out/s.rle")
pool_ms=$(median pool "$rlec" compress -f -s pool "$dir/page660.bmp" "$out/p.rle")
dec_ms=$(median decompress "$rlec" decompress -f "$out/page660.rle" "$out/back.bmp")
echo "40-Mpixel page ($(wc -c <"$dir/page660.bmp") bytes):"
row "cp of the BMP" "$cp_ms" "baseline"
row "tiffcp -c packbits of the same pixels" "$tiff_ms" "$(ratio "$tiff_ms" "$cp_ms")x cp"
row "rlec compress --strategy serial" "$ser_ms" "$(ratio "$ser_ms" "$cp_ms")x cp, $(ratio "$ser_ms" "$tiff_ms")x tiffcp"
row "rlec compress --strategy pool" "$pool_ms" "$(ratio "$pool_ms" "$cp_ms")x cp, $(ratio "$pool_ms" "$tiff_ms")x tiffcp"
row "rlec decompress" "$dec_ms" "$(ratio "$dec_ms" "$cp_ms")x cp"
echo
big_ser=$(median bigser "$rlec" compress -f -s serial "$dir/page1200.bmp" "$out/b.rle")
big_pool=$(median bigpool "$rlec" compress -f -s pool "$dir/page1200.bmp" "$out/b.rle")
echo "135-Mpixel page:"
row "rlec compress --strategy serial" "$big_ser" "baseline"
row "rlec compress --strategy pool" "$big_pool" "$(ratio "$big_ser" "$big_pool")x faster than serial"
echo
dir_ser=$(median dirser "$rlec" compress-dir -q -f -s serial "$dir/pages" "$out/pages")
dir_pool=$(median dirpool "$rlec" compress-dir -q -f -s pool "$dir/pages" "$out/pages")
echo "folder of $(ls "$dir/pages" | wc -l) pages at 300 dpi:"
row "rlec compress-dir --strategy serial" "$dir_ser" "baseline"
row "rlec compress-dir --strategy pool" "$dir_pool" "$(ratio "$dir_ser" "$dir_pool")x faster than serial"
echo
echo "peak memory (maximum resident set):"
for page in page660 page1200; do
  kb=$( { /usr/bin/time -f %M "$rlec" compress -f "$dir/$page.bmp" "$out/m.rle"; } 2>&1 | tail -1)
  printf '%-44s %9.1f MiB\n' "rlec compress $page.bmp" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
done
