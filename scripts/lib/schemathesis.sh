# Makes .build/schemathesis, a Python virtual environment with schemathesis from PyPI, when it is
# missing, and sets SCHEMATHESIS to its command. Source it; needs bash.

SCHEMATHESIS_VERSION=4.32.5

ensure_schemathesis() {
    local venv=.build/schemathesis
    if [ ! -x "$venv/bin/schemathesis" ]; then
        echo "installing schemathesis $SCHEMATHESIS_VERSION in $venv" >&2
        if ! python3 -m venv "$venv" 2>/dev/null; then
            rm -rf "$venv"
            [ "$(id -u)" = 0 ] || { echo "run as root or install python3-venv first" >&2; return 1; }
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            python3 -m venv "$venv"
        fi
        "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
    fi
    SCHEMATHESIS="$PWD/$venv/bin/schemathesis"
}
