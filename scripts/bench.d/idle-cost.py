"""What idle stores cost: N store processes linked to one central, nothing selling. Central's CPU
time is read from /proc over SECONDS with no store running, then over SECONDS once every store
is ON, with central's request count from /metrics; an idle store's cost to central is the
difference, per store. Usage: idle-cost.py BIN WORK CENTRAL_PORT CENTRAL_PID CENTRAL_DB STORES SECONDS
Prints: stores central_alone_pct central_cpu_pct per_store_pct requests_per_store_per_min store_cpu_pct store_rss_mib"""
import os, re, sys, time, urllib.request
import stores as stores_module

binary, work, central_port, central_pid, central_db, stores, seconds = sys.argv[1:8]
stores, seconds, central_pid = int(stores), int(seconds), int(central_pid)




def central_requests():
    text = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % central_port, timeout=10).read().decode()
    return sum(float(value) for value in re.findall(r'^hb_requests(?:_total)?\{[^}]*\} ([0-9.e+]+)$', text, re.M))


alone_before = stores_module.cpu_seconds(central_pid)
time.sleep(seconds)
alone_pct = 100 * (stores_module.cpu_seconds(central_pid) - alone_before) / seconds

started = stores_module.start(binary, work, central_port, central_db, ["IDLE-%03d" % index for index in range(stores)])
processes = [process for _, _, process in started]

try:
    if not stores_module.wait_until_on(started, 120):
        sys.exit("not every store came ON")
    time.sleep(5)  # past the first exchanges
    central_before, requests_before = stores_module.cpu_seconds(central_pid), central_requests()
    stores_before = [stores_module.cpu_seconds(p.pid) for p in processes]
    time.sleep(seconds)
    central_used = stores_module.cpu_seconds(central_pid) - central_before
    requests = central_requests() - requests_before - 1  # this script's own /metrics call
    stores_used = sum(stores_module.cpu_seconds(p.pid) for p in processes) - sum(stores_before)
    central_pct = 100 * central_used / seconds
    print(stores, "%.2f" % alone_pct, "%.2f" % central_pct, "%.4f" % ((central_pct - alone_pct) / stores), "%.1f" % (requests / stores / (seconds / 60)),
          "%.3f" % (100 * stores_used / seconds / stores), "%.1f" % (sum(stores_module.rss_mib(p.pid) for p in processes) / stores))
finally:
    for process in processes:
        process.kill()
