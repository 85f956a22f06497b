#!/usr/bin/env bash
# Builds the Debian package and the tarball from a configured build folder, unpacks the .deb
# into a temporary root (no root rights needed, the system is left alone) and runs what it
# installed: routerlab-cli --version and info on the installed sample data, routerlab
# --version, and the GUI offscreen, started briefly and rendering its pages from the installed
# sample data. Also checks Depends, RPATHs, the desktop entry, the AppStream file, the man
# pages, and that the tarball holds the same files as the .deb.
#   bash installer/check-package.sh BUILD_DIR
set -euo pipefail

fail() {
  echo "check-package.sh: FAILED: $*" >&2
  exit 1
}
ok() { echo "  ok: $*"; }

[ $# -eq 1 ] || {
  echo "usage: bash installer/check-package.sh BUILD_DIR" >&2
  exit 2
}
[ -d "$1" ] || fail "no build folder $1"
build="$(cd "$1" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

[ -f "$build/CPackConfig.cmake" ] || fail "$build is not a configured RouterLab build folder"
version="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")"
[ -n "$version" ] || fail "no CPACK_PACKAGE_VERSION in $build/CPackConfig.cmake"
arch="$(dpkg --print-architecture)"
gui=false
grep -q '^ROUTERLAB_BUILD_UI:BOOL=ON' "$build/CMakeCache.txt" && gui=true

deb="$build/packages/routerlab_${version}_${arch}.deb"
tgz="$build/packages/routerlab-${version}-Linux.tar.gz"

echo "-- building the packages (cpack: DEB, TGZ)"
rm -f "$deb" "$tgz"
cmake --build "$build" --target package -j "${JOBS:-2}" >"$work/cpack.log" 2>&1 || {
  tail -n 40 "$work/cpack.log"
  fail "cpack did not build the packages (output above)"
}
[ -f "$deb" ] || fail "no $deb"
[ -f "$tgz" ] || fail "no $tgz"
stat -c '  %s bytes  %n' "$deb" "$tgz"

echo "-- package metadata"
dpkg-deb -f "$deb" Package Version Architecture Section Depends Recommends | sed 's/^/  /'
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the .deb's Version is not $version"
depends="$(dpkg-deb -f "$deb" Depends)"
needed=(libqt6core6 libqt6network6 libsqlite3-0 libcurl4 libc6 libstdc++6)
$gui && needed+=(libqt6gui6 libqt6widgets6 libqt6charts6 libqt6svg6)
for p in "${needed[@]}"; do
  [[ ", $depends," == *", $p "* || ", $depends," == *", $p,"* ]] || fail "Depends lacks $p"
done
ok "Depends names ${needed[*]}"
if command -v apt-get >/dev/null; then
  # Resolves the dependencies against the system's package lists without installing.
  apt-get install -s "$deb" >"$work/apt.log" 2>&1 || {
    cat "$work/apt.log"
    fail "apt cannot install $deb (output above)"
  }
  ok "apt-get install -s resolves its dependencies"
fi

echo "-- unpacking the .deb into a temporary root"
root="$work/root"
dpkg-deb -x "$deb" "$root"
expected=(usr/bin/routerlab-cli usr/share/routerlab/sample_data/sample.csv
          usr/share/routerlab/sample_data/sample.pool.json usr/share/doc/routerlab/copyright
          usr/share/man/man1/routerlab-cli.1.gz)
app_id=""
if $gui; then
  entries=("$root"/usr/share/applications/*.desktop)
  [ -f "${entries[0]}" ] || fail "no desktop entry in usr/share/applications"
  app_id="$(basename "${entries[0]}" .desktop)"
  expected+=(usr/bin/routerlab "usr/share/applications/$app_id.desktop"
             "usr/share/metainfo/$app_id.metainfo.xml"
             "usr/share/icons/hicolor/scalable/apps/$app_id.svg" usr/share/man/man1/routerlab.1.gz)
fi
for f in "${expected[@]}"; do
  [ -s "$root/$f" ] || fail "the package lacks /$f"
done
ok "${#expected[@]} expected files present"
for exe in "$root"/usr/bin/*; do
  if readelf -d "$exe" | grep -qE 'R(UN)?PATH'; then
    fail "$(basename "$exe") has an RPATH: $(readelf -d "$exe" | grep -E 'R(UN)?PATH')"
  fi
done
ok "no RPATH in usr/bin/*"

echo "-- running the unpacked executables"
# Settings and caches go to the temporary folder; the run starts away from any source tree.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache"
export XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset ROUTERLAB_SAMPLE_DIR
cd "$work"
bin="$root/usr/bin"
sample="$root/usr/share/routerlab/sample_data"
out="$("$bin/routerlab-cli" --version)" || fail "routerlab-cli --version failed"
echo "  $out"
[[ "$out" == "routerlab-cli $version"* ]] || fail "routerlab-cli --version does not say $version"
"$bin/routerlab-cli" --help >"$work/help.txt" || fail "routerlab-cli --help failed"
grep -q "Sample data: $sample" "$work/help.txt" ||
  fail "routerlab-cli --help does not name the installed sample data $sample"
ok "routerlab-cli --help names the installed sample data"
"$bin/routerlab-cli" info "$sample/sample.csv" --pool "$sample/sample.pool.json" >"$work/info.txt" ||
  fail "routerlab-cli info on the installed sample data failed"
head -n 8 "$work/info.txt" | sed 's/^/  | /'
"$bin/routerlab-cli" info "$sample/sample.csv" --pool "$sample/sample.pool.json" --json \
  >"$work/info.json" || fail "routerlab-cli info --json on the installed sample data failed"
grep -q '"prompts": 1600' "$work/info.json" ||
  fail "routerlab-cli info --json does not count the 1600 sample prompts"
ok "routerlab-cli info reads the installed sample data"

if $gui; then
  out="$("$bin/routerlab" --version)" || fail "routerlab --version failed"
  echo "  $out"
  [[ "$out" == "routerlab $version"* ]] || fail "routerlab --version does not say $version"
  export QT_QPA_PLATFORM=offscreen
  # Starts on the installed sample data (it loads and runs the sample experiment), then closes.
  timeout 120 "$bin/routerlab" --quit-after 3000 >"$work/gui.log" 2>&1 || {
    rc=$?
    cat "$work/gui.log"
    fail "the unpacked GUI did not start and quit on its own (exit $rc)"
  }
  ok "routerlab started offscreen and quit after 3 s"
  # --screenshots needs the sample data: this proves the installed copy finds its own.
  timeout 300 "$bin/routerlab" --screenshots "$work/shots" >"$work/shots.log" 2>&1 || {
    rc=$?
    cat "$work/shots.log"
    fail "the unpacked GUI could not render its pages from the installed sample data (exit $rc)"
  }
  shots=$(find "$work/shots" -name '*.png' | wc -l)
  [ "$shots" -ge 9 ] || fail "routerlab --screenshots wrote $shots pages, expected 9"
  ok "routerlab rendered $shots pages from the installed sample data"

  echo "-- desktop entry, AppStream metadata, icon"
  desktop="$root/usr/share/applications/$app_id.desktop"
  metainfo="$root/usr/share/metainfo/$app_id.metainfo.xml"
  grep -qx "Icon=$app_id" "$desktop" || fail "the desktop entry's Icon is not $app_id"
  grep -qx "Exec=routerlab %F" "$desktop" || fail "the desktop entry does not start routerlab"
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $app_id.desktop"
    ok "desktop-file-validate accepts $app_id.desktop"
  else
    echo "  skipped: desktop-file-validate (desktop-file-utils) is not installed"
  fi
  if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$metainfo" >"$work/appstream.log" 2>&1 || {
      cat "$work/appstream.log"
      fail "appstreamcli rejects $app_id.metainfo.xml"
    }
    ok "appstreamcli validate accepts $app_id.metainfo.xml"
  else
    echo "  skipped: appstreamcli (appstream) is not installed"
  fi
  grep -q "<release version=\"$version\"" "$metainfo" ||
    fail "the AppStream file has no <release> for $version (add one to installer/linux/routerlab.metainfo.xml.in)"
  ok "the AppStream file lists release $version"
fi

echo "-- man pages"
for page in "$root"/usr/share/man/man1/*.1.gz; do
  gzip -t "$page" || fail "$(basename "$page") is not valid gzip"
  zcat "$page" | grep -q "^\.TH .* \"RouterLab $version\"" || fail "$(basename "$page") does not say $version"
  if command -v groff >/dev/null; then
    warnings="$(zcat "$page" | groff -man -ww -z 2>&1)"
    [ -z "$warnings" ] || fail "groff warns about $(basename "$page"): $warnings"
  fi
done
ok "$(cd "$root/usr/share/man/man1" && echo *)"

echo "-- the tarball holds the same files"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./usr/||' | sort >"$work/deb.list"
tar -tvzf "$tgz" | awk '$1 !~ /^d/ {print $6}' | sed 's|^[^/]*/||' | sort >"$work/tgz.list"
diff -u "$work/deb.list" "$work/tgz.list" || fail "the .tar.gz and the .deb hold different files"
ok "$(wc -l <"$work/tgz.list") files in both"
mkdir "$work/tarball"
tar -xzf "$tgz" -C "$work/tarball"
"$work/tarball/routerlab-${version}-Linux/bin/routerlab-cli" --help >"$work/tarball-help.txt" ||
  fail "the unpacked tarball's routerlab-cli --help failed"
grep -q "Sample data: $work/tarball/" "$work/tarball-help.txt" ||
  fail "the unpacked tarball's routerlab-cli does not find its own sample data"
ok "the unpacked tarball's routerlab-cli finds its own sample data"

echo "check-package.sh: $(basename "$deb") and $(basename "$tgz") are good"
