"""Replication lag from stores to central: N store processes sell at a steady rate, central's
database is polled, and each movement's lag is the time from the store's 201 answer until central
holds it. Usage: sync-lag.py BIN WORK CENTRAL_PORT CENTRAL_DB STORES RATE SECONDS
Prints: sent arrived p50_ms p99_ms max_ms"""
import base64, collections, json, sqlite3, sys, threading, time, urllib.request
import stores as stores_module

binary, work, central_port, central_db, stores, rate, seconds = sys.argv[1:8]
stores, rate, seconds = int(stores), int(rate), int(seconds)
auth = "Basic " + base64.b64encode(b"admin:admin").decode()

stores_started = stores_module.start(binary, work, central_port, central_db, ["LAG-%02d" % index for index in range(stores)])
processes, ports = [process for _, _, process in stores_started], [port for _, port, _ in stores_started]

try:
    stores_module.wait_until_on(stores_started, 60)

    # Per store, its acknowledged movements in order: (sequence, acknowledged at). One thread sells
    # for each store, one request after another, so each list grows in sequence order.
    pending = {"LAG-%02d" % index: collections.deque() for index in range(stores)}
    lock, lags, sent = threading.Lock(), [], [0]

    def sell(index, port):
        per_request, interval = 10, 10 * stores / rate
        next_at = time.time()
        end = next_at + seconds
        while next_at < end:
            movements = [{"id": "SKU-%05d" % ((index * 97 + n) % 10000 + 1), "qty": -1, "reason": "sale"} for n in range(per_request)]
            request = urllib.request.Request("http://127.0.0.1:%d/api/v1/shops/10010/movements" % port,
                                             data=json.dumps({"movements": movements}).encode(),
                                             headers={"Authorization": auth, "Content-Type": "application/json"})
            answer = json.loads(urllib.request.urlopen(request).read())
            now = time.time()
            with lock:
                for row in answer["data"]:
                    origin, sequence = row["movementId"].rsplit(":", 1)
                    pending[origin].append((int(sequence), now))
                sent[0] += len(answer["data"])
            next_at += interval
            time.sleep(max(0, next_at - time.time()))

    threads = [threading.Thread(target=sell, args=(index, port)) for index, port in enumerate(ports)]
    for thread in threads:
        thread.start()
    database = sqlite3.connect(central_db.removeprefix("sqlite:"))
    give_up = None
    while True:
        now = time.time()
        for origin, highest in database.execute("SELECT origin, MAX(origin_seq) FROM movements WHERE origin LIKE 'LAG-%' GROUP BY origin"):
            with lock:
                queue = pending[origin]
                while queue and queue[0][0] <= highest:
                    lags.append((now - queue.popleft()[1]) * 1000)
        if not any(thread.is_alive() for thread in threads):
            with lock:
                if not any(pending.values()):
                    break
            give_up = give_up or now + 30
            if now > give_up:
                break
        time.sleep(0.05)
    lags.sort()
    pick = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
    print(sent[0], len(lags), round(pick(0.5)), round(pick(0.99)), round(lags[-1]))
finally:
    for process in processes:
        process.kill()
