#!/usr/bin/env bash
# Checks the Debian package as a shop's box gets it: builds it (scripts/package --debug), reads
# its control data and contents, verifies its systemd units with systemd-analyze, installs it
# into a throwaway root with dpkg, and starts the installed binary with nothing of Swift on the
# library path, as its unit would (its environment file, systemd's notification socket), until
# it is ready, then stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "package test: $*" >&2; exit 1; }

package=$(scripts/package --debug)
[ -f "$package" ] || fail "scripts/package made no package"
control=$(dpkg-deb -f "$package")
for field in "Package: backroom" "Version: " "Architecture: $(dpkg --print-architecture)" "Depends: "; do
    grep -q "^$field" <<<"$control" || fail "control lacks '$field'"
done
contents=$(dpkg-deb -c "$package" | awk '{print $1, $2, $6}')
for entry in "-rwxr-xr-x root/root ./usr/bin/backroom" "-rw-r--r-- root/root ./lib/systemd/system/backroom-central.service" \
    "-rw-r--r-- root/root ./lib/systemd/system/backroom-store.service" "-rw-r----- root/root ./etc/backroom/central.env" \
    "-rw-r----- root/root ./etc/backroom/store.env" "drwxr-x--- root/root ./var/lib/backroom/" "drwxr-xr-x root/root ./"; do
    grep -qxF -- "$entry" <<<"$contents" || fail "contents lack '$entry': $contents"
done
[ "$(dpkg-deb --ctrl-tarfile "$package" | tar -xO ./conffiles)" = $'/etc/backroom/central.env\n/etc/backroom/store.env' ] || fail "conffiles"

root=$(mktemp -d)
server=
listener=
trap 'kill "$server" "$listener" 2>/dev/null || true; rm -rf "$root"' EXIT
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
# Unpacked only: configuring would run postinst in the throwaway root, which has no shell.
dpkg --root="$root" --force-not-root --unpack "$package" >/dev/null
dpkg --root="$root" -L backroom | grep -qx /usr/bin/backroom || fail "dpkg does not list the installed binary"
for script in postinst prerm postrm; do sh -n "$root/var/lib/dpkg/info/backroom.$script" || fail "$script is not valid sh"; done
# Unpacked, the environment files wait as .dpkg-new for configure to put them in place.
for role in central store; do
    [ -f "$root/etc/backroom/$role.env.dpkg-new" ] && mv "$root/etc/backroom/$role.env.dpkg-new" "$root/etc/backroom/$role.env"
    [ -f "$root/etc/backroom/$role.env" ] || fail "no /etc/backroom/$role.env installed"
done

units=$(mktemp -d -p "$root")
for role in central store; do
    unit="$root/lib/systemd/system/backroom-$role.service"
    for setting in Type=notify WatchdogSec= LimitNOFILE= NoNewPrivileges=yes ProtectSystem=strict ReadWritePaths=/var/lib/backroom PrivateTmp=yes \
        User=backroom "EnvironmentFile=/etc/backroom/$role.env" "Environment=BACKROOM_ROLE=$role" "ExecStart=/usr/bin/backroom serve"; do
        grep -q "^$setting" "$unit" || fail "backroom-$role.service lacks $setting"
    done
    # Verified with the installed binary and environment file in place of the box's paths.
    sed -e "s#^ExecStart=/usr/bin/#ExecStart=$root/usr/bin/#" -e "s#^EnvironmentFile=/etc/#EnvironmentFile=$root/etc/#" "$unit" > "$units/backroom-$role.service"
done
if command -v systemd-analyze >/dev/null; then
    verdict=$(systemd-analyze verify "$units"/*.service 2>&1) || fail "systemd-analyze verify: $verdict"
    [ -z "$verdict" ] || fail "systemd-analyze verify: $verdict"
fi

binary="$root/usr/bin/backroom"
if ldd "$binary" | grep -q libswift; then fail "the binary needs Swift's libraries: $(ldd "$binary" | grep libswift)"; fi
version=$(env -i PATH=/usr/bin:/bin "$binary" --version) || fail "the installed binary does not run"
[ "$(dpkg-deb -f "$package" Version)" = "${version%% *}" ] || fail "the package's version is not the binary's $version"

# As its unit runs it: the environment file of the role, systemd's notification socket.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
notify="$root/notify.sock"
python3 - "$notify" > "$root/notified" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
while True:
    message = s.recv(4096).decode()
    print(message.replace("\n", " "), flush=True)
    if "STOPPING=1" in message:
        break
PY
listener=$!
for _ in $(seq 50); do [ -S "$notify" ] && break; sleep 0.1; done
(
    set -a
    # shellcheck disable=SC1091
    source "$root/etc/backroom/central.env"
    set +a
    exec env -i PATH=/usr/bin:/bin NOTIFY_SOCKET="$notify" BACKROOM_ROLE=central BACKROOM_PORT="$port" \
        BACKROOM_DATABASE="sqlite:$root/var/lib/backroom/backroom.sqlite" BACKROOM_HOST="$BACKROOM_HOST" "$binary" serve --demo
) > "$root/server.log" 2>&1 &
server=$!
for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] && break
    kill -0 "$server" 2>/dev/null || fail "the installed server stopped: $(cat "$root/server.log")"
    sleep 0.1
done
[ "$(curl -s "http://127.0.0.1:$port/readyz")" = '{"status":"ready"}' ] || fail "the installed server is not ready: $(cat "$root/server.log")"
grep -q "READY=1" "$root/notified" || fail "no READY=1 told to systemd: $(cat "$root/notified")"
kill -TERM "$server"
wait "$server" || fail "the installed server did not stop cleanly: $(cat "$root/server.log")"
wait "$listener" || true
grep -q "STOPPING=1" "$root/notified" || fail "no STOPPING=1 told to systemd: $(cat "$root/notified")"
echo "package test: $package installs, verifies and runs"
