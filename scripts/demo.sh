#!/usr/bin/env bash
# Compresses a sample page, decompresses it to every format rlec writes,
# and shows that nothing was lost: each compresses back to the same bytes.
#   demo.sh RLEC SAMPLE.bmp
set -euo pipefail
rlec=$1 sample=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
size() { wc -c <"$1" | tr -d ' '; }

"$rlec" compress "$sample" "$tmp/sample.rle"
in=$(size "$sample") out=$(size "$tmp/sample.rle")
echo "input       $sample: $in bytes"
echo "compress    sample.rle: $out bytes ($(( 100 * out / in ))% of the BMP)"
echo
"$rlec" info "$tmp/sample.rle" | sed "s|$tmp/||"
echo
ok=1
for ext in bmp pbm png tif; do
  "$rlec" decompress "$tmp/sample.rle" "$tmp/back.$ext"
  "$rlec" compress "$tmp/back.$ext" "$tmp/again-$ext.rle"
  if cmp -s "$tmp/sample.rle" "$tmp/again-$ext.rle"; then verdict="same .rle bytes"; else verdict="DIFFERENT"; ok=0; fi
  printf 'decompress  back.%s: %7d bytes; compressed again: %s\n' "$ext" "$(size "$tmp/back.$ext")" "$verdict"
done
echo
if [ "$ok" = 1 ]; then
  echo "round trip: OK (every format compresses back to the same .rle bytes)"
else
  echo "round trip: FAILED" >&2
  exit 1
fi
