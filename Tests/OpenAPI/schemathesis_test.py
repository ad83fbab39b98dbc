"""schemathesis against live Backroom servers, each judged by its own /openapi.json: a central
on SQLite, a store linked to it, and a central on PostgreSQL.

Usage: python3 Tests/OpenAPI/schemathesis_test.py BACKROOM_BINARY SCHEMATHESIS
           [--postgres URL] [--examples N] [--stateful-seconds S]

Each server gets a fresh database with the demo data, two products with stock no fuzzing can use
up, and a sign-in failure limit high enough that the run's wrong credentials never throttle the
right ones. Then two runs of schemathesis: examples, coverage and fuzzing (N cases per operation),
and the stateful phase, which follows the document's links (create a reservation, then read,
change, commit, cancel it) for S seconds. Any failure of the checks below fails the test, with
schemathesis's own report and a command that reproduces it. The console's routes are in too:
without a session each sends the browser to /signin, as documented; the browser test covers the
pages themselves.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "negative_data_rejection", "ignored_auth",
])
CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemathesis.toml")
# Larger than any product a request can reserve (10^9 per line), so stock never runs out.
FUZZ_STOCK = "1000000000000000"

arguments = argparse.ArgumentParser()
arguments.add_argument("binary")
arguments.add_argument("schemathesis")
arguments.add_argument("--postgres", default=os.environ.get("BACKROOM_TEST_POSTGRES_URL"))
arguments.add_argument("--examples", type=int, default=20)
arguments.add_argument("--stateful-seconds", type=int, default=45)
options = arguments.parse_args()

BINARY = os.path.abspath(options.binary)
WORK = tempfile.mkdtemp(prefix="backroom-schemathesis.")
PROCESSES = {}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def backroom(*command):
    done = subprocess.run([BINARY, *command], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"backroom {' '.join(command[:2])} failed: {done.stderr.strip()}")


def prepare_central(database):
    backroom("demo", "--database", database)
    backroom("preference", "set", "backroom.signInFailureLimit", "100000", "--database", database)
    for product in ["Fuzz-A", "Fuzz-B"]:
        backroom("stock", "set", "--shop", "10010", "--product", product, "--qty", FUZZ_STOCK, "--database", database)


def serve(name, port, *extra):
    log = open(os.path.join(WORK, name + ".log"), "w")
    process = subprocess.Popen([BINARY, "serve", "--port", str(port), *extra], stdout=log, stderr=subprocess.STDOUT)
    PROCESSES[name] = process
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    raise AssertionError(f"{name} did not start; its log is {log.name}")


def fresh_postgres_database(url, name):
    psql = "/usr/lib/postgresql/15/bin/psql"
    for statement in [f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"]:
        subprocess.run([psql, url, "-q", "-c", statement], check=True, capture_output=True)
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def schemathesis(name, port, *phase_options):
    command = [
        options.schemathesis, "--config-file", CONFIG, "run", f"http://127.0.0.1:{port}/openapi.json",
        "--checks", CHECKS, "--no-color", "--wait-for-schema", "30", *phase_options,
    ]
    done = subprocess.run(command, cwd=WORK, capture_output=True, text=True)
    summary = [line for line in done.stdout.splitlines() if "generated," in line or "Scenarios:" in line or "API Links:" in line]
    print(f"  {name}: {'; '.join(part.strip() for part in summary)}", flush=True)
    if done.returncode != 0:
        print(done.stdout[-20000:], done.stderr[-4000:], sep="\n", flush=True)
    return done.returncode == 0


def judge(name, port):
    print(f"schemathesis against {name}:", flush=True)
    passed = schemathesis(f"{name}, examples, coverage and fuzzing", port,
                          "--phases", "examples,coverage,fuzzing", "--max-examples", str(options.examples))
    passed &= schemathesis(f"{name}, stateful", port, "--phases", "stateful", "--max-time", str(options.stateful_seconds))
    return passed


def main():
    results = {}
    central_database = "sqlite:" + os.path.join(WORK, "central.sqlite")
    prepare_central(central_database)
    central_port, store_port = free_port(), free_port()
    serve("central-sqlite", central_port, "--database", central_database)

    # The demo registry names the store VALLBLANCA at port 8081; point it at this one.
    store_database = "sqlite:" + os.path.join(WORK, "store.sqlite")
    request = urllib.request.Request(
        f"http://127.0.0.1:{central_port}/api/v1/servers/VALLBLANCA", method="PATCH",
        data=f'{{"url": "http://127.0.0.1:{store_port}"}}'.encode(),
        headers={"Content-Type": "application/json", "Authorization": "Basic YWRtaW46YWRtaW4="},
    )
    urllib.request.urlopen(request, timeout=10).close()
    backroom("migrate", "--database", store_database)
    backroom("user", "add", "admin", "--password", "admin", "--right", "admin", "--database", store_database)
    backroom("preference", "set", "backroom.signInFailureLimit", "100000", "--database", store_database)
    serve("store", store_port, "--role", "store", "--server-key", "VALLBLANCA", "--database", store_database,
          "--central-url", f"http://127.0.0.1:{central_port}", "--central-token", "demo-vallblanca-token")

    # The store first: fuzzing central's registry may rotate the store's token.
    results["store (SQLite)"] = judge("store (SQLite)", store_port)
    results["central (SQLite)"] = judge("central (SQLite)", central_port)

    if options.postgres:
        postgres_database = fresh_postgres_database(options.postgres, "backroom_schemathesis")
        prepare_central(postgres_database)
        postgres_port = free_port()
        serve("central-postgresql", postgres_port, "--database", postgres_database)
        results["central (PostgreSQL)"] = judge("central (PostgreSQL)", postgres_port)
    else:
        results["central (PostgreSQL)"] = False
        print("no PostgreSQL: pass --postgres or set BACKROOM_TEST_POSTGRES_URL", flush=True)

    for name, process in PROCESSES.items():
        if process.poll() is not None:
            results[f"{name} (it exited during the run)"] = False
    failed = [name for name, passed in results.items() if not passed]
    print("schemathesis: " + ("no failures" if not failed else "failures against " + ", ".join(failed)), flush=True)
    return 1 if failed else 0


try:
    status = main()
finally:
    for process in PROCESSES.values():
        process.terminate()
    for process in PROCESSES.values():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
if status == 0:
    shutil.rmtree(WORK, ignore_errors=True)
else:
    print(f"server logs are in {WORK}", flush=True)
sys.exit(status)
