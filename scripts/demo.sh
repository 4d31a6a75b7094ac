#!/usr/bin/env bash
# Compresses a sample page, decompresses it, and shows that nothing was lost.
#   demo.sh RLEC SAMPLE.bmp
set -euo pipefail
rlec=$1 sample=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
size() { wc -c <"$1" | tr -d ' '; }

"$rlec" compress "$sample" "$tmp/sample.rle"
"$rlec" decompress "$tmp/sample.rle" "$tmp/back.bmp"
"$rlec" compress "$tmp/back.bmp" "$tmp/again.rle"

in=$(size "$sample") out=$(size "$tmp/sample.rle")
echo "input       $sample: $in bytes"
echo "compress    sample.rle: $out bytes ($(( 100 * out / in ))% of the BMP)"
echo "decompress  back.bmp: $(size "$tmp/back.bmp") bytes"
echo
"$rlec" info "$tmp/sample.rle" | sed "s|$tmp/||"
echo
if cmp -s "$tmp/sample.rle" "$tmp/again.rle"; then
  echo "round trip: OK (compressing the decompressed image gives the same .rle bytes)"
else
  echo "round trip: FAILED" >&2
  exit 1
fi
