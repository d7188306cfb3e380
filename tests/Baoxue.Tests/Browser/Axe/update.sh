#!/usr/bin/env bash
# Replaces the vendored axe-core with another version from the npm registry, checking the tarball against the
# registry's published integrity hash. Usage: ./update.sh 4.14.1
set -euo pipefail
version=${1:?usage: $0 <axe-core version>}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
cd "$work"
expected=$(npm view "axe-core@$version" dist.integrity)
tarball=$(npm pack "axe-core@$version" --silent)
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
[[ "$actual" == "$expected" ]] || { echo "integrity mismatch: $actual != $expected" >&2; exit 1; }
tar xzf "$tarball"
cp package/axe.min.js package/LICENSE "$here/"
echo "axe-core $version vendored ($expected)"
