#!/usr/bin/env bash
# Checks make install: the binary, man pages with the version and an EXIT
# STATUS section, and the completions for bash, zsh, fish and PowerShell,
# all under a PREFIX of a temporary folder. Run by make test.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
make -s install PREFIX="$prefix" >/dev/null
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
version=$("$prefix/bin/rlec" --version) || fail "the installed rlec does not run"
for f in share/man/man1/rlec.1 share/man/man1/rlec-compress.1 share/man/man1/rlec-compress-dir.1 \
	share/bash-completion/completions/rlec share/zsh/site-functions/_rlec \
	share/fish/vendor_completions.d/rlec.fish share/rlec/rlec.ps1; do
	[ -s "$prefix/$f" ] || fail "$f is missing or empty"
done
grep -q "^.SH EXIT STATUS" "$prefix/share/man/man1/rlec-compress.1" || fail "no EXIT STATUS in the man page"
grep -qF "\"rlec ${version#rlec version }\"" "$prefix/share/man/man1/rlec.1" || fail "the man page does not carry the version of $version"
grep -q "the number of CPUs" "$prefix/share/man/man1/rlec-compress.1" || fail "--jobs' default is not said in words"
echo "test-install: PASS ($version)"
