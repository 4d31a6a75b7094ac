#!/usr/bin/env bash
# Decompresses .rle files to every format rlec writes and reads each output
# back with other tools (libtiff, netpbm, Pillow), checking that every one of
# them sees exactly the pixels of the .rle file, decoded here by a few lines
# of Python written from docs/format.md, apart from rlec.
#   check-writers.sh [FILE.rle...]   (default: a page made from testdata/sample.bmp)
# Installs libtiff-tools, netpbm and python3-pil from Debian when missing. Not
# part of make test, which must not need them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
need=()
for p in libtiff-tools netpbm python3-pil; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
make -s -C "$here" build
rlec=$here/bin/rlec
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
  "$rlec" compress "$here/testdata/sample.bmp" "$tmp/sample.rle"
  printf '\x09\x00\x01\x00\x04\x82\x03' >"$tmp/tiny.rle" # FORMAT.md's example row
  inputs=("$tmp/sample.rle" "$tmp/tiny.rle")
fi
fail=0
for in in "${inputs[@]}"; do
  d=$tmp/$(basename "$in" .rle)
  mkdir -p "$d"
  "$rlec" decompress -q "$in" "$d/out.bmp"
  "$rlec" decompress -q --dpi 300 "$in" "$d/out.pbm"
  "$rlec" decompress -q --dpi 300 "$in" "$d/out.png"
  for c in g4 packbits none; do
    "$rlec" decompress -q --dpi 300 --compression "$c" "$in" "$d/out-$c.tif"
    tiffinfo -D "$d/out-$c.tif" >/dev/null 2>"$d/tiffinfo.err" || { echo "tiffinfo refuses out-$c.tif: $(cat "$d/tiffinfo.err")"; fail=1; }
    [ ! -s "$d/tiffinfo.err" ] || { echo "tiffinfo warns on out-$c.tif: $(cat "$d/tiffinfo.err")"; fail=1; }
    tiffcp -c none "$d/out-$c.tif" "$d/libtiff-$c.tif" # decoded by libtiff
    tifftopnm -quiet "$d/out-$c.tif" >"$d/netpbm-$c.pbm"
  done
  pngtopnm "$d/out.png" >"$d/netpbm-png.pbm"
  bmptopnm -quiet "$d/out.bmp" >"$d/netpbm-bmp.pbm"
  /usr/bin/python3 - "$in" "$d" <<'PY' || fail=1
import glob, os, sys
from PIL import Image

def decode(path):
    """The pixels of a .rle file, rows of 0 (black) and 1 (white)."""
    data = open(path, "rb").read()
    w, h = int.from_bytes(data[0:2], "little"), int.from_bytes(data[2:4], "little")
    rows, pos = [], 4
    for _ in range(h):
        row = []
        while len(row) < w:
            b = data[pos]; pos += 1
            row += [b >> 7] * (b & 0x7F)
        rows.append(row)
    assert pos == len(data), "trailing data"
    return w, h, rows

path, folder = sys.argv[1], sys.argv[2]
w, h, want = decode(path)
bad = 0
for f in sorted(glob.glob(os.path.join(folder, "*"))):
    if f.endswith(".err"):
        continue
    im = Image.open(f)
    im.load()
    got = im.convert("1")
    if got.size != (w, h):
        print(f"{os.path.basename(f)}: {got.size}, want {(w, h)}"); bad += 1; continue
    px = got.load()
    diff = sum(1 for y in range(h) for x in range(w) if (px[x, y] != 0) != bool(want[y][x]))
    if diff:
        print(f"{os.path.basename(f)}: {diff} pixels differ"); bad += 1
    if f.endswith((".png", ".tif")) and "out" in f and "dpi" in im.info:
        dpi = round(float(im.info["dpi"][0]))
        if dpi != 300:
            print(f"{os.path.basename(f)}: {dpi} dpi, want 300"); bad += 1
n = len([f for f in glob.glob(os.path.join(folder, "*")) if not f.endswith(".err")])
print(f"{os.path.basename(path)}: {w}x{h}, {n} files read by libtiff, netpbm and Pillow, {bad} wrong")
sys.exit(1 if bad else 0)
PY
done
if [ "$fail" -ne 0 ]; then echo "check-writers: FAIL"; exit 1; fi
echo "check-writers: PASS"
