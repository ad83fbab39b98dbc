"""One central measured as `scripts/bench history` compares it: fresh, or with a year in it.
Usage: history.py BIN WORK DATABASE DURATION. The database is loaded already (history-*.sql/py);
a store NEWSTORE for shop 10020 is registered here, and central measured idle before it runs.
Prints one JSON object of figures."""
import json, os, re, sqlite3, subprocess, sys, time, urllib.request
import stores

binary, work, database, duration = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
figures = {}


def postgres_cpu():
    """CPU seconds of every PostgreSQL process on this machine (the bench's own cluster)."""
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if open("/proc/%s/comm" % pid).read().strip() == "postgres":
                total += stores.cpu_seconds(int(pid))
        except OSError:
            pass
    return total


def get(url, data=None, headers=None, timeout=30):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    return urllib.request.urlopen(request, timeout=timeout).read()


def wrk(base, seconds, script=None, path="/", headers=()):
    command = ["wrk", "-t", "2", "-c", "64" if script else "2", "-d", "%ds" % seconds, "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [base + path], capture_output=True, text=True, check=True).stdout
    total, seconds = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output).group(1, 2)
    unit = re.search(r"requests in [\d.]+(m?s)", output).group(1)
    failed = int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1])
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", output, re.M)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    elapsed = float(seconds) / (1000 if unit == "ms" else 1)
    return round((int(total) - failed) / elapsed), p99_ms


def serve():
    port = stores.free_port()
    process = subprocess.Popen([binary, "serve", "--port", str(port), "--database", database, "--log-level", "notice", "--erp-root", work],
                               stdout=open(work + "/central.log", "a"), stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            get("http://127.0.0.1:%d/health" % port, timeout=1)
            return port, process
        except Exception:
            time.sleep(0.1)
    sys.exit("central did not start")


def execute(target, sql):
    """Runs SQL on central's database (a postgres:// URL or sqlite:FILE) or a store's SQLite file."""
    if target.startswith("postgres"):
        subprocess.run(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", target, "-c", sql], check=True, stdout=subprocess.DEVNULL)
    else:
        db = sqlite3.connect(target.removeprefix("sqlite:"), isolation_level=None)
        db.execute("PRAGMA busy_timeout = 10000")
        db.executescript("BEGIN; " + sql + "; COMMIT;")
        db.close()


def query(target, sql):
    """The first column of the first row of SQL on central's database, as text."""
    if target.startswith("postgres"):
        return subprocess.run(["psql", "-q", "-X", "-t", "-A", target, "-c", sql], capture_output=True, text=True, check=True).stdout.strip()
    db = sqlite3.connect(target.removeprefix("sqlite:"))
    value = db.execute(sql).fetchone()[0]
    db.close()
    return str(value)


def added(origin, count, shop=10010, product="SKU-00001"):
    """SQL adding `count` receipts of one origin, numbered after its last, with their stock."""
    now = int(time.time() * 1000)
    return (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %(count)d) "
        "INSERT INTO movements (origin, origin_seq, shop_id, product_id, qty, reason, reference, created_at) "
        "SELECT '%(origin)s', (SELECT COALESCE(MAX(origin_seq), 0) FROM movements WHERE origin = '%(origin)s') + i, %(shop)d, '%(product)s', 1, "
        "'receipt', 'bench', %(now)d FROM n; "
        "UPDATE origin_counters SET last_seq = (SELECT MAX(origin_seq) FROM movements WHERE origin = '%(origin)s') WHERE origin = '%(origin)s'; "
        "UPDATE stock SET on_hand = on_hand + %(count)d WHERE shop_id = %(shop)d AND product_id = '%(product)s'"
    ) % {"origin": origin, "count": count, "shop": shop, "product": product, "now": now}


def metric(url, pattern):
    match = re.search(pattern, get(url + "/metrics").decode(), re.M)
    return float(match.group(1)) if match else 0.0


def start_store(key, token, port, central_base):
    return subprocess.Popen([binary, "serve", "--role", "store", "--server-key", key, "--port", str(port), "--central-url", central_base,
                             "--central-token", token, "--database", "sqlite:%s/%s-%s.sqlite" % (work, key, port), "--log-level", "error"],
                            stdout=open(work + "/%s.log" % key, "a"), stderr=subprocess.STDOUT)


def until(condition, seconds=600):
    started = time.time()
    while time.time() - started < seconds:
        try:
            if condition():
                return time.time() - started
        except Exception:
            pass
        time.sleep(0.05)
    return float("nan")


def status(base, key):
    """A server's status as `base` has it (RetrieveMobileServerStatus)."""
    answer = get(base + "/api/v1/servers/status", json.dumps({"serverKey": key}).encode(), {"Content-Type": "application/json"})
    return json.loads(answer)["response"]["serverStatus"]


newstore_port = stores.free_port()
subprocess.run([binary, "shop", "add", "10020", "--name", "New shop", "--database", database], capture_output=True)
token = subprocess.run([binary, "server", "add", "NEWSTORE", "--url", "http://127.0.0.1:%d" % newstore_port, "--shop", "10020", "--database", database],
                       capture_output=True, text=True, check=True).stdout.strip()
port, central = serve()
base = "http://127.0.0.1:%d" % port
try:
    # Idle, with a thousand stores registered and a new one not running yet.
    time.sleep(15)  # past start-up: the first engine round, the first backlog count
    before_central, before_postgres = stores.cpu_seconds(central.pid), postgres_cpu()
    time.sleep(30)
    figures["idle central % of a core"] = round(100 * (stores.cpu_seconds(central.pid) - before_central) / 30, 2)
    figures["idle PostgreSQL % of a core"] = round(100 * (postgres_cpu() - before_postgres) / 30, 2)

    # The new store starts: how long until central counts it ON, and what central spends meanwhile.
    before_central = stores.cpu_seconds(central.pid)
    newstore = start_store("NEWSTORE", token, newstore_port, base)
    try:
        figures["new store ON after s"] = round(until(lambda: status(base, "NEWSTORE") == "ON", 120), 2)
        time.sleep(max(0, 60 - figures["new store ON after s"]))
        figures["central CPU s in the new store's first 60 s"] = round(stores.cpu_seconds(central.pid) - before_central, 2)
    finally:
        newstore.kill()

    # A store of the web shop catches up 20,000 movements central recorded while it was away, then
    # pushes 20,000 of its own recorded while central did not hear from it.
    store_port = stores.free_port()
    store_db = "%s/VALLBLANCA-%s.sqlite" % (work, store_port)
    store_base = "http://127.0.0.1:%d" % store_port
    store = start_store("VALLBLANCA", "demo-vallblanca-token", store_port, base)
    until(lambda: status(store_base, "VALLBLANCA") == "ON", 120)
    store.kill(); store.wait()
    execute(database, added("CENTRAL", 20000))
    store = start_store("VALLBLANCA", "demo-vallblanca-token", store_port, base)
    pulled = until(lambda: metric(store_base, r"^backroom_link_pulled_movements_total (\S+)$") >= 20000)
    figures["catch-up pull movements/s"] = round(20000 / pulled)
    store.kill(); store.wait()
    execute(store_db, added("VALLBLANCA", 20000))
    store = start_store("VALLBLANCA", "demo-vallblanca-token", store_port, base)
    pushed = until(lambda: metric(base, r'^backroom_sync_applied_movements_total\{store="VALLBLANCA"\} (\S+)$') >= 20000)
    figures["push movements/s"] = round(20000 / pushed)
    store.kill(); store.wait()

    # The ERP export, standing 20,000 of central's movements behind (the catch-up's receipts).
    folder = "%s/erp-%d" % (work, port)
    os.makedirs(folder + "/in", exist_ok=True)
    subprocess.run([binary, "connection", "add", "erp-files", "--folder", folder, "--erp-root", work, "--database", database], check=True, capture_output=True)
    connection = max(int(line.split("\t")[0]) for line in subprocess.run([binary, "connection", "list", "--database", database],
                     capture_output=True, text=True, check=True).stdout.splitlines() if "\terp-files\t" in line)
    aggregate = "string_agg" if database.startswith("postgres") else "group_concat"
    cursor = query(database, "SELECT %s(origin || ':' || (head - CASE WHEN origin = 'CENTRAL' THEN 20000 ELSE 0 END), ',') "
                   "FROM (SELECT origin, MAX(origin_seq) AS head FROM movements GROUP BY origin) h" % aggregate)
    execute(database, "INSERT INTO sync_state (name, value, updated_at) VALUES ('erp.export.%d', '%s', 0) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value" % (connection, json.dumps({"cursor": cursor, "files": 0})))
    started = time.time()
    get(base + "/api/v1/Agents/ErpSync/SyncAll", b"{}", {"Content-Type": "application/json", "Authorization": "Basic YWRtaW46YWRtaW4="})
    def exported():
        return sum(1 for name in os.listdir(folder + "/out") if name.endswith(".jsonl") for _ in open(folder + "/out/" + name)) if os.path.isdir(folder + "/out") else 0
    until(lambda: exported() >= 20000)
    figures["ERP export movements/s"] = round(20000 / (time.time() - started))

    figures["reservations U /s"], figures["reservations U p99 ms"] = wrk(base, duration, "scripts/bench.d/reserve-uniform.lua")
    figures["reservations H /s"], figures["reservations H p99 ms"] = wrk(base, duration, "scripts/bench.d/reserve-hot.lua")
    figures["ATP /s"], figures["ATP p99 ms"] = wrk(base, duration, "scripts/bench.d/atp.lua")

    subprocess.run(["curl", "-sf", "-c", work + "/cookies", "-o", "/dev/null", "-d", "user=admin&password=admin", base + "/signin"], check=True)
    cookie = "; ".join("%s=%s" % (f[5], f[6]) for f in (line.split("\t") for line in open(work + "/cookies").read().replace("#HttpOnly_", "").splitlines())
                       if len(f) >= 7 and not f[0].startswith("#"))
    for page in ["/", "/stores", "/stores/S0100", "/reservations?shop=10010", "/stock?shop=10010&product=SKU-00001", "/audit"]:
        rate, p99 = wrk(base, 3, path=page, headers=["Cookie: " + cookie.strip()])
        figures["console %s /s" % page], figures["console %s p99 ms" % page] = rate, p99
finally:
    central.terminate()
    central.wait()
print(json.dumps(figures))
