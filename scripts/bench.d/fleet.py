"""The fleet: STORES store processes (each its own SQLite, each selling in a shop of its own) linked
to two central processes on one PostgreSQL (a primary and its synchronous standby), the web shop
reserving through HAProxy. Runs, in order: central alone; every store ON and idle; stores selling
one movement a second each; then the full load for LOAD_SECONDS with, on its timeline, central A
killed with SIGKILL and started again, the link of CUT stores cut for CUT_SECONDS (a proxy this
script owns closes their connections and refuses new ones), and the primary stopped and the
standby promoted. Then checks, and a report. Exits 1 if a check failed.

Configured by environment: BIN WORK PAIR_DIR DB (central's URL, both hosts) PSQL_DB (the same for
psql) CENTRAL_A CENTRAL_B (ports) PROXY_PORT (HAProxy's) STORES CUT CUT_SECONDS LOAD_SECONDS RATE
(reservations a second)."""
import base64, bisect, collections, http.client, json, os, random, re, select, signal, socket, subprocess, sys, threading, time, urllib.request, uuid
import stores as stores_module

env = os.environ
BIN, WORK, PAIR_DIR, DB, PSQL_DB = env["BIN"], env["WORK"], env["PAIR_DIR"], env["DB"], env["PSQL_DB"]
PORT_A, PORT_B, PROXY_PORT = int(env["CENTRAL_A"]), int(env["CENTRAL_B"]), int(env["PROXY_PORT"])
STORES, CUT, CUT_SECONDS = int(env.get("STORES", 100)), int(env.get("CUT", 10)), int(env.get("CUT_SECONDS", 60))
LOAD_SECONDS, RATE = int(env.get("LOAD_SECONDS", 300)), int(env.get("RATE", 200))
PRODUCTS = ["F-%02d" % n for n in range(1, 21)]
HOT_SHOP, HOT_PRODUCT, HOT_STOCK = 10010, "HOT", 2000
ADMIN = {"Authorization": "Basic " + base64.b64encode(b"admin:admin").decode(), "Content-Type": "application/json"}
keys = ["F%03d" % n for n in range(1, STORES + 1)]
shop_of = {key: 30000 + n for n, key in enumerate(keys, 1)}
cut_keys = set(keys[:CUT])
failures = []


def log(message):
    print("[%6.1f] %s" % (time.time() - started_at, message), file=sys.stderr, flush=True)




def check(ok, what):
    print("  %-4s %s" % ("ok" if ok else "FAIL", what))
    if not ok:
        failures.append(what)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


class Central:
    """One central process, which can be killed and started again on its port."""

    def __init__(self, name, port):
        self.name, self.port, self.process = name, port, None

    def start(self):
        output = open("%s/central-%s.log" % (WORK, self.name), "a")
        self.process = subprocess.Popen([BIN, "serve", "--port", str(self.port), "--database", DB, "--log-level", "notice",
                                         "--trusted-proxy", "127.0.0.1"],
                                        stdout=output, stderr=output)
        for _ in range(300):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/health" % self.port, timeout=1).read()
                return
            except Exception:
                time.sleep(0.1)
        sys.exit("central %s did not start" % self.name)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


class Psql:
    """One psql session kept open, started again when the database goes away under it."""

    def __init__(self):
        self.process = None

    def query(self, sql):
        for _ in range(100):
            if self.process is None or self.process.poll() is not None:
                self.process = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-F", "|", PSQL_DB], stdin=subprocess.PIPE,
                                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
            try:
                self.process.stdin.write(sql.rstrip(";") + ";\n\\echo __end__\n")
                self.process.stdin.flush()
                rows = []
                while True:
                    line = self.process.stdout.readline()
                    if line == "":
                        raise BrokenPipeError
                    if line.rstrip("\n") == "__end__":
                        return rows
                    if line.strip():
                        rows.append(line.rstrip("\n").split("|"))
            except (BrokenPipeError, OSError):
                self.process.kill()
                self.process = None
                time.sleep(0.2)
        raise RuntimeError("psql could not reach the database")


class LinkCutter:
    """A TCP proxy per central for the stores whose link is to be cut: while cut, it closes what
    it carries and answers every new connection by closing it."""

    def __init__(self, targets):
        self.cut, self.lock, self.sockets, self.ports = False, threading.Lock(), set(), []
        for target in targets:
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", 0))
            listener.listen(256)
            self.ports.append(listener.getsockname()[1])
            threading.Thread(target=self.accept, args=(listener, target), daemon=True).start()

    def accept(self, listener, target):
        while True:
            client, _ = listener.accept()
            if self.cut:
                client.close()
                continue
            try:
                server = socket.create_connection(("127.0.0.1", target), timeout=2)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, server))
            threading.Thread(target=self.pump, args=(client, server), daemon=True).start()

    def pump(self, client, server):
        try:
            while True:
                readable, _, _ = select.select([client, server], [], [], 1)
                if self.cut:
                    break
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        raise OSError
                    (server if source is client else client).sendall(data)
        except OSError:
            pass
        with self.lock:
            for end in (client, server):
                self.sockets.discard(end)
                end.close()

    def set_cut(self, cut):
        self.cut = cut
        if cut:
            with self.lock:
                for end in list(self.sockets):
                    try:
                        end.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass


def http_call(connection, method, path, body=None, headers=ADMIN):
    connection.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers)
    answer = connection.getresponse()
    return answer.status, answer.read()


def set_up_stock():
    connection = http.client.HTTPConnection("127.0.0.1", PORT_A, timeout=30)
    for key in keys:
        status, body = http_call(connection, "PUT", "/api/v1/shops/%d/stock" % shop_of[key], [{"id": p, "stock": 1000, "blocked": 0} for p in PRODUCTS])
        if status >= 300:
            sys.exit("stock for %s: %d %s" % (key, status, body[:200]))
    http_call(connection, "PUT", "/api/v1/shops/%d/stock" % HOT_SHOP, [{"id": HOT_PRODUCT, "stock": HOT_STOCK, "blocked": 0}])


# Sales: one thread per ten stores, a movement a second each; acknowledged (origin, seq, time).
acks, acks_lock, sale_errors = [], threading.Lock(), collections.Counter()
selling = threading.Event()


def sell(group):
    connections = {key: http.client.HTTPConnection("127.0.0.1", port, timeout=10) for key, port in group}
    next_at = time.time()
    while selling.is_set():
        for key, _ in group:
            movement = {"movements": [{"id": random.choice(PRODUCTS), "qty": -1, "reason": "sale"}]}
            try:
                status, body = http_call(connections[key], "POST", "/api/v1/shops/%d/movements" % shop_of[key], movement)
            except (OSError, http.client.HTTPException) as error:
                sale_errors[type(error).__name__] += 1
                connections[key].close()
                continue
            if status != 201:
                sale_errors[status] += 1
                continue
            now = time.time()
            with acks_lock:
                for row in json.loads(body)["data"]:
                    origin, sequence = row["movementId"].rsplit(":", 1)
                    acks.append((origin, int(sequence), now))
        next_at += 1
        time.sleep(max(0, next_at - time.time()))


# Reservations through HAProxy: each with an Idempotency-Key, retried with it on no answer or
# 502/503/504 for up to 60 s; one in four committed at once.
reserving = threading.Event()
outcomes, granted, committed, completions = collections.Counter(), [], [], []
outcome_lock = threading.Lock()


def call_with_retry(connection, method, path, body, headers):
    give_up = time.time() + 60
    while True:
        try:
            status, answer = http_call(connection[0], method, path, body, headers)
            if status not in (502, 503, 504):
                return status, answer
        except (OSError, http.client.HTTPException):
            connection[0].close()
            connection[0] = http.client.HTTPConnection("127.0.0.1", PROXY_PORT, timeout=30)
        if time.time() > give_up:
            return None, b""
        time.sleep(0.2)


def reserve(per_second):
    connection = [http.client.HTTPConnection("127.0.0.1", PROXY_PORT, timeout=30)]
    next_at = time.time()
    while reserving.is_set():
        if random.random() < 0.1:
            shop, items = HOT_SHOP, [{"id": HOT_PRODUCT, "qty": 1}]
        else:
            shop, items = shop_of[random.choice(keys)], [{"id": p, "qty": 1} for p in random.sample(PRODUCTS, random.randint(1, 2))]
        headers = dict(ADMIN, **{"Idempotency-Key": str(uuid.uuid4())})
        status, answer = call_with_retry(connection, "POST", "/servlets/services/reservation/%d" % shop, {"lifetime": 900, "items": items}, headers)
        now = time.time()
        if status == 201:
            resv = json.loads(answer)["data"]["resvId"]
            with outcome_lock:
                outcomes["granted"] += 1
                granted.append(resv)
                completions.append(now)
            if random.random() < 0.25:
                status, _ = call_with_retry(connection, "POST", "/servlets/services/reservation/%d/commit" % resv, None, ADMIN)
                with outcome_lock:
                    if status == 204:
                        committed.append(resv)
                    else:
                        outcomes["commit failed: %s" % status] += 1
        else:
            try:
                code = (json.loads(answer).get("exceptions") or [{}])[0].get("code")
            except (ValueError, AttributeError):
                code = None
            with outcome_lock:
                outcomes["refused %s %s" % (status, code) if status else "no answer in 60 s"] += 1
        next_at += 1 / per_second
        time.sleep(max(0, next_at - time.time()))


# Central's movements as they arrive: per origin, when each highest sequence was first seen.
arrivals = collections.defaultdict(list)
watching = threading.Event()


def watch_arrivals():
    psql = Psql()
    while watching.is_set():
        rows = psql.query("SELECT origin, MAX(origin_seq) FROM movements WHERE origin LIKE 'F%' GROUP BY origin")
        now = time.time()
        for origin, highest in rows:
            seen = arrivals[origin]
            if not seen or int(highest) > seen[-1][1]:
                seen.append((now, int(highest)))
        time.sleep(0.2)


def arrived_at(origin, sequence):
    seen = arrivals.get(origin, [])
    index = bisect.bisect_left([highest for _, highest in seen], sequence)
    return seen[index][0] if index < len(seen) else None


# The engine's lease: both centrals' /metrics every half second.
lease_samples, both_held = [0], [0]
# Paused while central's CPU is measured: rendering /metrics costs more with every store.
measuring = threading.Event()


def watch_lease():
    while watching.is_set():
        if measuring.is_set():
            time.sleep(0.1)
            continue
        held = 0
        for port in (PORT_A, PORT_B):
            try:
                text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=1).read().decode()
                match = re.search(r"^backroom_engine_leaseholder(?:\{[^}]*\})? (\S+)$", text, re.M)
                held += 1 if match and float(match.group(1)) == 1 else 0
            except Exception:
                pass
        lease_samples[0] += 1
        both_held[0] += held > 1
        time.sleep(0.5)


started_at = time.time()
central_a, central_b = Central("a", PORT_A), Central("b", PORT_B)
central_a.start()
central_b.start()
set_up_stock()
cutter = LinkCutter([PORT_A, PORT_B])

def central_pids():
    return [central_a.process.pid, central_b.process.pid]

def central_cpu():
    return sum(stores_module.cpu_seconds(pid) for pid in central_pids())

def central_requests():
    total = 0
    for port in (PORT_A, PORT_B):
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10).read().decode()
        total += sum(float(value) for value in re.findall(r'^hb_requests(?:_total)?\{[^}]*/sync/v1/[^}]*\} ([0-9.e+]+)$', text, re.M))
    return total

log("centrals up; central alone for 20 s")
before = central_cpu(); time.sleep(20); alone = (central_cpu() - before) / 20


def urls(key):
    ports = cutter.ports if key in cut_keys else [PORT_A, PORT_B]
    ordered = ports if int(key[1:]) % 2 else list(reversed(ports))
    return ["http://127.0.0.1:%d" % port for port in ordered]


log("starting %d stores" % STORES)
fleet = stores_module.start(BIN, WORK, PORT_A, DB, keys, shop=lambda key: shop_of[key], central_urls=urls, log_level="notice")
processes = [process for _, _, process in fleet]
try:
    if not stores_module.wait_until_on(fleet, 300):
        sys.exit("not every store came ON")
    watching.set()
    for target in (watch_arrivals, watch_lease):
        threading.Thread(target=target, daemon=True).start()
    # Two whole long polls: the stores came ON within seconds of each other, so their pulls
    # end together, and a window shorter than a wait counts one for each store in it or none.
    idle_seconds = 2 * 50
    log("every store ON; idle for %d s" % (idle_seconds + 10))
    time.sleep(10)
    measuring.set()
    before, requests_before = central_cpu(), central_requests()
    time.sleep(idle_seconds)
    idle, idle_requests = (central_cpu() - before) / idle_seconds, (central_requests() - requests_before) / STORES / (idle_seconds / 60)

    log("stores selling a movement a second each; 40 s")
    selling.set()
    sellers = [threading.Thread(target=sell, args=([(key, port) for key, port, _ in fleet[n::10]],)) for n in range(10)]
    for thread in sellers:
        thread.start()
    time.sleep(10)
    before, requests_before = central_cpu(), central_requests()
    time.sleep(30)
    busy, busy_requests = (central_cpu() - before) / 30, (central_requests() - requests_before) / STORES / 30
    measuring.clear()

    log("full load: %d reservations/s through HAProxy for %d s" % (RATE, LOAD_SECONDS))
    reserving.set()
    reservers = [threading.Thread(target=reserve, args=(RATE / 20,)) for _ in range(20)]
    for thread in reservers:
        thread.start()
    load_start = time.time()
    # A stranger behind the same HAProxy guesses the web shop's user twelve times; HAProxy names
    # it in X-Forwarded-For, so the centrals throttle it (each process counts its own), not the web shop.
    guesser = http.client.HTTPConnection("127.0.0.1", PROXY_PORT, timeout=30)
    stranger = [http_call(guesser, "GET", "/servlets/services/atp/%d/%s" % (HOT_SHOP, HOT_PRODUCT), None,
                          {"Authorization": "Basic " + base64.b64encode(b"admin:guess-%d" % n).decode(), "X-Forwarded-For": "203.0.113.66"})[0]
                for n in range(12)]
    at = lambda fraction: load_start + fraction * LOAD_SECONDS
    events = {}

    def wait_until(moment):
        time.sleep(max(0, moment - time.time()))

    wait_until(at(0.15)); log("SIGKILL central A"); central_a.kill(); events["killed"] = time.time()
    wait_until(at(0.18)); log("central A starts again"); central_a.start(); events["restarted"] = time.time()
    wait_until(at(0.30)); log("cutting the link of %d stores for %d s" % (CUT, CUT_SECONDS)); cutter.set_cut(True); events["cut"] = time.time()
    wait_until(events["cut"] + CUT_SECONDS); cutter.set_cut(False); events["restored"] = time.time(); log("link restored")
    with acks_lock:
        cut_targets = {}
        for origin, sequence, moment in acks:
            if origin in cut_keys and moment < events["restored"]:
                cut_targets[origin] = max(cut_targets.get(origin, 0), sequence)
    wait_until(at(0.70)); log("stopping the primary PostgreSQL, promoting the standby")
    events["failover"] = time.time()
    subprocess.run(["bash", "-c", 'source scripts/lib/postgres-pair.sh && pair_fail "$1"', "-", PAIR_DIR], check=True)
    log("standby promoted")
    wait_until(at(1.0))
    reserving.clear()
    for thread in reservers:
        thread.join()
    load_seconds = time.time() - load_start
    selling.clear()
    for thread in sellers:
        thread.join()
    log("load over; waiting for every movement and figure to settle")
    memory = sum(stores_module.rss_mib(p.pid) for p in processes) / len(processes)

    psql = Psql()
    with acks_lock:
        last_ack = {}
        for origin, sequence, _ in acks:
            last_ack[origin] = max(last_ack.get(origin, 0), sequence)

    def settled():
        central = {origin: int(count) for origin, count in psql.query("SELECT origin, COUNT(*) FROM movements WHERE origin LIKE 'F%' GROUP BY origin")}
        return all(central.get(origin, 0) >= sequence for origin, sequence in last_ack.items())

    deadline = time.time() + 120
    while not settled() and time.time() < deadline:
        time.sleep(1)
    time.sleep(5)  # central's sales from commits reach the stores at their next pull
    watching.clear()

    print()
    print("Fleet: %d stores (SQLite each), 2 centrals on PostgreSQL with a synchronous standby, %d reservations/s through HAProxy for %ds"
          % (STORES, RATE, LOAD_SECONDS))
    print()
    print("Checks")
    duplicates = psql.query("SELECT COUNT(*) FROM (SELECT origin, origin_seq FROM movements WHERE origin LIKE 'F%' GROUP BY origin, origin_seq HAVING COUNT(*) > 1) d")
    check(duplicates == [["0"]], "no store movement twice on central")
    central_counts = {origin: int(count) for origin, count in psql.query("SELECT origin, COUNT(*) FROM movements WHERE origin LIKE 'F%' GROUP BY origin")}
    central_stock = collections.defaultdict(dict)
    for shop, product, on_hand in psql.query("SELECT shop_id, product_id, on_hand FROM stock WHERE shop_id > 30000"):
        central_stock[int(shop)][product] = int(on_hand)
    missing, unequal = [], []
    for key, _, _ in fleet:
        database = "%s/store-%s.sqlite" % (WORK, key)
        own = int(subprocess.run(["sqlite3", database, "SELECT COUNT(*) FROM movements WHERE origin = '%s'" % key], capture_output=True, text=True).stdout or 0)
        if central_counts.get(key, 0) != own or own < last_ack.get(key, 0):
            pushed = subprocess.run(["sqlite3", database, "SELECT value FROM sync_state WHERE name = 'link.pushed'"], capture_output=True, text=True).stdout.strip()
            missing.append("%s: store %d, central %d, acknowledged up to %d, store's pushed mark %s" % (key, own, central_counts.get(key, 0), last_ack.get(key, 0), pushed))
        store_stock = {}
        for line in subprocess.run(["sqlite3", database, "SELECT product_id, on_hand FROM stock WHERE shop_id = %d" % shop_of[key]],
                                   capture_output=True, text=True).stdout.split():
            product, on_hand = line.split("|")
            store_stock[product] = int(on_hand)
        if store_stock != central_stock[shop_of[key]]:
            unequal.append(key)
    check(not missing, "every store's movements on central exactly once, every acknowledged one there" + ("; " + "; ".join(missing[:3]) if missing else ""))
    check(not unequal, "on hand equal on both sides for every store" + (": " + " ".join(unequal[:10]) if unequal else ""))
    now_ms = int(time.time() * 1000)
    oversold = psql.query(
        """SELECT COUNT(*) FROM (SELECT r.shop_id, i.product_id, SUM(i.qty) AS held FROM reservations r
           JOIN reservation_items i ON i.reservation_id = r.id WHERE r.state = 'active' AND r.valid_until > %d
           GROUP BY r.shop_id, i.product_id) h JOIN stock s ON s.shop_id = h.shop_id AND s.product_id = h.product_id
           WHERE h.held > s.on_hand - s.blocked""" % now_ms)
    hot = psql.query("SELECT on_hand FROM stock WHERE shop_id = %d AND product_id = '%s'" % (HOT_SHOP, HOT_PRODUCT))
    check(oversold == [["0"]] and hot and int(hot[0][0]) >= 0, "no oversell (HOT: %s of %d on hand left)" % (hot[0][0] if hot else "?", HOT_STOCK))
    stored = {int(row[0]): row[1] for row in psql.query("SELECT id, state FROM reservations")}
    lost = [resv for resv in granted if resv not in stored]
    uncommitted = [resv for resv in committed if stored.get(resv) != "committed"]
    check(not lost and not uncommitted, "every 201 reservation (%d) and 204 commit (%d) in the database" % (len(granted), len(committed))
          + (": %d lost, %d commits not so" % (len(lost), len(uncommitted)) if lost or uncommitted else ""))
    deadline = time.time() + 30
    while True:
        statuses = dict((key, status) for key, status in psql.query("SELECT key, status FROM servers WHERE key LIKE 'F%'"))
        off = [key for key in keys if statuses.get(key) != "ON"]
        if not off or time.time() > deadline:
            break
        time.sleep(1)
    check(not off, "every store ON" + (": not " + " ".join(off[:10]) if off else ""))
    check(both_held[0] == 0 and lease_samples[0] > 0, "one engine leaseholder at any time (%d samples of both centrals)" % lease_samples[0])
    documented = {name for name in outcomes if name == "granted" or name.startswith("refused 400 21001")}
    undocumented = {name: count for name, count in outcomes.items() if name not in documented}
    check(set(stranger[:5]) == {401} and 429 in stranger, "a stranger guessing through HAProxy is throttled (%s), the web shop is not" % stranger)
    check(not undocumented and not sale_errors, "no failed reservation or sale but the documented refusals"
          + (": %s %s" % (dict(undocumented), dict(sale_errors)) if undocumented or sale_errors else ""))

    lags = collections.defaultdict(list)
    failover_end = events["failover"] + 30
    with acks_lock:
        for origin, sequence, moment in acks:
            arrived = arrived_at(origin, sequence)
            if arrived is None:
                continue
            lag = max(0, arrived - moment) * 1000
            if origin in cut_keys:
                phase = "cut stores, sold during the cut" if events["cut"] <= moment < events["restored"] else (
                    "cut stores, sold after the link returned" if moment >= events["restored"] else "cut stores, before the cut")
            elif events["failover"] - 1 <= moment < failover_end:
                phase = "other stores, during the database failover"
            elif events["killed"] <= moment < events["restarted"] + 5:
                phase = "other stores, central A killed"
            else:
                phase = "other stores, the rest of the run"
            lags[phase].append(lag)
    catch_up = []
    for origin, target in cut_targets.items():
        arrived = arrived_at(origin, target)
        catch_up.append((arrived - events["restored"]) if arrived else float("inf"))
    successes = sorted(completions)
    window = [t for t in successes if events["failover"] - 5 <= t <= events["failover"] + 120]
    gap = max((b - a for a, b in zip(window, window[1:])), default=float("nan"))
    worst_catch_up = max(catch_up, default=float("nan"))
    check(worst_catch_up <= 10, "cut stores caught up within 10 s of the link's return (slowest %.1f s)" % worst_catch_up)
    steady = lags["other stores, the rest of the run"]
    check(percentile(steady, 0.99) <= 2000, "lag p99 <= 2 s outside the cut and the failures (%.0f ms)" % percentile(steady, 0.99))

    print()
    print("Costs (%% of one core; per store = (with stores - alone) / %d)" % STORES)
    print("  central, both processes, alone:          %6.2f %%" % (100 * alone))
    print("  central per idle store:                  %6.4f %%  (target <= 0.02 %%)" % (100 * (idle - alone) / STORES))
    print("  sync requests per idle store a minute:   %6.1f" % idle_requests)
    print("  sync requests per busy store a second:   %6.1f" % busy_requests)
    print("  central per busy store (1 movement/s):   %6.4f %%" % (100 * (busy - alone) / STORES))
    print("  memory per store process:                %6.1f MiB" % memory)
    print("  reservations granted/s:                  %6.1f  (%s)" % (outcomes["granted"] / load_seconds, ", ".join("%s %d" % item for item in sorted(outcomes.items()))))
    print("  service gap at the database failover:    %6.1f s (longest time without a granted reservation)" % gap)
    print("  catch-up of the cut stores:              %6.1f s (slowest of %d, from the link's return)" % (worst_catch_up, len(catch_up)))
    print()
    print("Lag from a store's 201 until central holds the movement (ms)")
    print("  %-46s %8s %8s %8s %8s" % ("", "count", "p50", "p99", "max"))
    for phase in sorted(lags):
        values = lags[phase]
        print("  %-46s %8d %8.0f %8.0f %8.0f" % (phase, len(values), percentile(values, 0.5), percentile(values, 0.99), max(values)))
finally:
    for process in processes + [central_a.process, central_b.process]:
        if process and process.poll() is None:
            process.kill()
if failures:
    # The run's folder goes with the bench; its logs are kept for whoever looks into the failure.
    kept = "/tmp/backroom-fleet-logs"
    subprocess.run(["rm", "-rf", kept])
    subprocess.run(["mkdir", "-p", kept])
    subprocess.run("cp %s/*.log %s/" % (WORK, kept), shell=True)
    print("\nlogs kept in %s" % kept)
sys.exit(1 if failures else 0)
