"""Store processes for the benchmarks: registered on central with `backroom server add`, each with
its own SQLite file, started quietly, and waited for until each says it is ON."""
import json, os, socket, subprocess, time, urllib.request

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """A process's CPU time so far, user and system, from /proc."""
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mib(pid):
    """A process's resident memory now, from /proc."""
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(binary, work, central_port, central_db, keys, shop=lambda key: 10010, central_urls=None, log_level="error"):
    """Registers and starts a store per key, selling in `shop(key)`, linked to the central at
    `central_port` or to the URLs `central_urls(key)` gives, in that order; returns [(key, port, process)]."""
    stores = []
    for key in keys:
        port = free_port()
        token = subprocess.run([binary, "server", "add", key, "--url", "http://127.0.0.1:%d" % port, "--shop", str(shop(key)),
                                "--database", central_db], capture_output=True, text=True, check=True).stdout.strip()
        urls = central_urls(key) if central_urls else ["http://127.0.0.1:%s" % central_port]
        process = subprocess.Popen(
            [binary, "serve", "--role", "store", "--server-key", key, "--port", str(port)]
            + [argument for url in urls for argument in ("--central-url", url)]
            + ["--central-token", token, "--database", "sqlite:%s/store-%s.sqlite" % (work, key), "--log-level", log_level],
            stdout=open("%s/store-%s.log" % (work, key), "w"), stderr=subprocess.STDOUT)
        stores.append((key, port, process))
    return stores


def wait_until_on(stores, seconds):
    """Whether every store said ON within `seconds`."""
    deadline = time.time() + seconds
    for key, port, _ in stores:
        while True:
            if time.time() > deadline:
                return False
            body = json.dumps({"serverKey": key}).encode()
            try:
                answer = urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%d/api/v1/servers/status" % port, data=body), timeout=2).read()
                if b'"ON"' in answer:
                    break
            except Exception:
                pass
            time.sleep(0.1)
    return True
