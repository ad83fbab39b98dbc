"""The console in a real browser (Debian's headless chromium through chromium-driver), against
real server processes: a central with the demo data and a store that comes and goes.

Usage: python3 Tests/Browser/console_test.py BACKROOM_BINARY [SCREENSHOT_FOLDER]

Every step asserts what a person would see; a failed step prints the page it was on. The
screenshots of every page (1280 px and 375 px wide) go to SCREENSHOT_FOLDER (default: a temporary
folder); docs/console/ holds a committed set.
"""

import base64
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

BINARY = os.path.abspath(sys.argv[1])
SHOTS = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="backroom-console-shots.")
WORK = tempfile.mkdtemp(prefix="backroom-browser.")
PROCESSES = {}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(name, *arguments):
    log = open(os.path.join(WORK, name + ".log"), "w")
    PROCESSES[name] = subprocess.Popen([BINARY, *arguments], stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(port):
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no server on port {port}")


def api(method, url, body=None, user="admin:admin"):
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", "Basic " + base64.b64encode(user.encode()).decode())
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


class Console:
    def __init__(self, base):
        self.base = base
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]:
            options.add_argument(argument)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.implicitly_wait(0)

    def open(self, path):
        self.driver.get(self.base + path)

    def text(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector).text

    def click(self, selector):
        self.driver.find_element(By.CSS_SELECTOR, selector).click()

    def fill(self, selector, value):
        field = self.driver.find_element(By.CSS_SELECTOR, selector)
        field.clear()
        field.send_keys(value)

    def until(self, what, condition, seconds=60):
        try:
            WebDriverWait(self.driver, seconds, poll_frequency=0.2).until(lambda _: self.holds(condition))
        except Exception as error:
            raise AssertionError(f"{what}: not within {seconds} s; page:\n{self.driver.page_source[:3000]}") from error

    @staticmethod
    def holds(condition):
        # A page being replaced has no elements yet, or stale ones: not yet.
        try:
            return condition()
        except WebDriverException:
            return False

    def notice(self):
        return self.text(".notice")

    def shoot(self, name):
        self.driver.save_screenshot(os.path.join(SHOTS, name + ".png"))

    def check_page(self, name):
        """What every page owes its users: a label for every control, nothing wider than a
        phone at 375 px, and a screenshot at both widths."""
        unlabelled = self.driver.execute_script(
            """
            return [...document.querySelectorAll('input:not([type=hidden]), select, button, textarea')].filter((control) => {
              if (control.getAttribute('aria-label')) return false;
              if (control.tagName === 'BUTTON') return control.textContent.trim() === '';
              if (control.closest('label')) return false;
              return !(control.id && document.querySelector(`label[for="${control.id}"]`));
            }).map((control) => control.outerHTML);
            """
        )
        assert unlabelled == [], f"{name}: controls without a label: {unlabelled}"
        self.shoot(name)
        self.driver.set_window_size(375, 800)
        try:
            width = self.driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= 375, f"{name}: {width} px wide at 375 px"
            self.shoot(name + "-375")
        finally:
            self.driver.set_window_size(1280, 900)

    def sign_in(self, user, password):
        self.open("/signin")
        self.fill("#user", user)
        self.fill("#password", password)
        self.click("form.signin button[type=submit]")

    def sign_out(self):
        self.click("form.signout button")
        self.until("back at the sign-in page", lambda: self.driver.current_url.endswith("/signin"), 10)


class LinkProxy:
    """The store's line to central: bytes passed both ways until it is cut, as a shop's network
    would be, while central still reaches the store."""

    def __init__(self, port):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.target = port
        self.sockets = []
        self.cut = False
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while not self.cut:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut:
                client.close()
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.sockets += [client, upstream]
            for source, sink in [(client, upstream), (upstream, client)]:
                threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut_off(self):
        self.cut = True
        # shutdown, not close alone, wakes the thread blocked in accept().
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for end in self.sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
                end.close()
            except OSError:
                pass


def cross_site_page(target):
    """A page of another origin with a form that would stop the engine, sent as soon as it loads."""
    page = f"""<!doctype html><form id="f" method="post" action="{target}/engine/run">
    <input type="hidden" name="running" value="false"></form><script>document.getElementById('f').submit()</script>"""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page.encode())

        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def store_console(store):
    """The store's own console, while its link works: its link, its shop and a sale just made
    at a till, and its users (central's, synced)."""
    api("POST", f"{store}/api/v1/shops/10010/movements", {"movements": [{"id": "First-Test", "qty": -2, "reason": "sale", "reference": "till-1/42"}]})
    console = Console(store)
    try:
        console.sign_in("admin", "admin")
        console.until("the store's overview", lambda: console.driver.title.startswith("Overview"), 10)
        main = console.text("main")
        assert "Link to central" in main and "Vallblanca" in main and "till-1/42" in main, main
        assert "Last exchange\nnot yet" not in main and "This store is\nON" in main, main
        assert console.driver.find_elements(By.CSS_SELECTOR, 'nav a[href="/reservations"]') == [], "a store keeps no reservations"
        console.check_page("store-overview")
        console.open("/users")
        assert "tje0" in console.text("table.users") and "change them there" in console.text("main")
        console.sign_out()
    finally:
        console.driver.quit()


def main():
    central_port, store_port = free_port(), free_port()
    central = f"http://127.0.0.1:{central_port}"
    start("central", "serve", "--demo", "--port", str(central_port), "--database", f"sqlite:{WORK}/central.sqlite", "--log-level", "warning")
    wait_healthy(central_port)
    # The store is looked for where it will listen; failures are noticed within a second and
    # count as OFF after three.
    api("PATCH", f"{central}/api/v1/servers/VALLBLANCA", {"url": f"http://127.0.0.1:{store_port}"})
    for name, value in [("OBMOBC_Ping_Periodicity", "1"), ("OBMOBC_TransitionToOfflineWait", "3000"), ("OBMOBC_CONNECTION_TIMEOUT_REQUEST", "1")]:
        api("PUT", f"{central}/api/v1/preferences/{name}", {"value": int(value)})
    reservation = api("POST", f"{central}/servlets/services/reservation/10010", {"items": [{"id": "Second-Test", "qty": 1}]}, "tje0:Tje0")
    reservation_id = reservation["data"]["resvId"]

    console = Console(central)
    try:
        # Signing in.
        console.open("/")
        console.until("sent to sign in", lambda: console.driver.current_url.endswith("/signin"), 10)
        console.check_page("signin")
        console.sign_in("admin", "admin")
        console.until("the overview", lambda: console.driver.title.startswith("Overview"), 10)
        assert "Store VALLBLANCA has never been online." in console.text("main"), console.text("main")
        console.check_page("overview")

        # The store comes online and goes away while the Stores page stays open.
        console.open("/stores")
        row = 'tr[data-key="VALLBLANCA"] td[data-field="status"]'
        assert console.text(row) == "OFF"
        console.driver.execute_script("window.notReloaded = true")
        link = LinkProxy(central_port)
        start("store", "serve", "--role", "store", "--server-key", "VALLBLANCA", "--port", str(store_port),
              "--central-url", f"http://127.0.0.1:{link.port}", "--central-token", "demo-vallblanca-token",
              "--database", f"sqlite:{WORK}/store.sqlite", "--log-level", "warning")
        console.until("VALLBLANCA turns ON", lambda: console.text(row) == "ON")
        software = 'tr[data-key="VALLBLANCA"] td[data-field="software"]'
        console.until("what VALLBLANCA runs shown", lambda: ", sync " in console.text(software))
        console.check_page("stores")
        store_console(f"http://127.0.0.1:{store_port}")
        # Its line to central is cut: the store, still answering central's pings, says TOFF,
        # and OFF once the wait is over.
        link.cut_off()
        console.until("VALLBLANCA turns TOFF", lambda: console.text(row) in ("TOFF", "OFF"))
        seen_toff = console.text(row) == "TOFF"
        console.until("VALLBLANCA turns OFF", lambda: console.text(row) == "OFF")
        assert seen_toff, "the row went OFF without showing TOFF first"
        # Killed, it no longer answers: OFF, with why.
        PROCESSES["store"].send_signal(signal.SIGKILL)
        PROCESSES["store"].wait()
        log = 'tr[data-key="VALLBLANCA"] td[data-field="offlineLog"]'
        console.until("the reason shown", lambda: "VALLBLANCA at http://127.0.0.1" in console.text(log), 30)
        assert console.driver.execute_script("return window.notReloaded === true"), "the page was reloaded"

        # The store's own page: its history, probe now.
        console.click('a[href="/stores/VALLBLANCA"]')
        history = console.text("table.history")
        assert "OFF" in history and "TOFF" in history and "ON" in history, history
        console.click("form.actions button")
        console.until("probed", lambda: "VALLBLANCA answered OFF" in console.notice(), 15)
        console.check_page("store")

        # The engine: stop, start.
        console.open("/engine")
        assert console.text("main p").startswith("Running"), console.text("main p")
        console.click('form[action="/engine/run"] button')
        console.until("stopped", lambda: console.text("main p:not(.notice)").startswith("Stopped"), 10)
        console.click('form[action="/engine/run"] button')
        console.until("running again", lambda: console.text("main p:not(.notice)").startswith("Running"), 10)
        console.check_page("engine")

        # A form from another site, sent with the browser's own cookies, changes nothing.
        console.open("/engine")
        console.driver.get(cross_site_page(central))
        console.until("the cross-site post answered", lambda: console.driver.current_url.startswith(central), 10)
        assert "403" in console.driver.page_source or "Forbidden" in console.driver.page_source or "XSRF" in console.driver.page_source, console.driver.page_source[:500]
        console.open("/engine")
        assert console.text("main p").startswith("Running"), "a cross-site post stopped the engine"

        # Stock: set on hand, with its confirmation, and ATP follows.
        console.open("/stock?shop=10010&product=First-Test")
        atp_before = int(console.text(".figures dt:nth-of-type(4) + dd"))
        on_hand = int(console.text(".figures dd"))
        console.fill("#onhand", str(on_hand + 7))
        console.click('form[method="post"][action="/stock"] button')
        console.until("refused without the confirmation", lambda: console.driver.current_url.find("notice") >= 0 or console.driver.execute_script(
            "return !document.querySelector('input[name=confirm]').checkValidity()"), 5)
        console.open("/stock?shop=10010&product=First-Test")
        console.fill("#onhand", str(on_hand + 7))
        console.click('input[name="confirm"]')
        console.click('form[method="post"][action="/stock"] button')
        console.until("set", lambda: "notice" in console.driver.current_url, 10)
        assert int(console.text(".figures dt:nth-of-type(4) + dd")) == atp_before + 7, console.text(".figures")
        console.check_page("stock")

        # Reservations: the one made above, cancelled.
        console.open("/reservations?shop=10010&state=active")
        console.click(f'form[action="/reservations/{reservation_id}/cancel"] button')
        console.until("cancelled", lambda: console.notice() == f"Reservation {reservation_id} is cancelled.", 10)
        console.check_page("reservations")

        # The other pages render and are usable.
        for path, name in [("/erp", "erp"), ("/preferences", "preferences"), ("/audit", "audit")]:
            console.open(path)
            assert console.driver.title.split(" ·")[0] != "Not for you", path
            console.check_page(name)
        assert "engine.change" in console.text("table.audit"), "the console's changes are audited"

        # A new user, who may count stock in shop 10010 only.
        console.open("/users")
        console.fill("#new-name", "clerk")
        console.fill("#new-password", "a-long-password-1")
        console.click('input[name="right[]"][value="stock"]')
        console.fill("#new-shops", "10010")
        console.click('form[action="/users"] button[type="submit"]')
        console.until("added", lambda: "clerk" in console.text("table.users"), 10)
        console.check_page("users")

        # Keyboard: from the top of the page, Tab reaches the navigation, then the sign-out button.
        console.open("/")
        body = console.driver.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        reached = []
        for _ in range(15):
            active = console.driver.switch_to.active_element
            reached.append(active.text or active.get_attribute("value") or active.tag_name)
            if active.tag_name == "button" and active.text == "Sign out":
                break
            active.send_keys(Keys.TAB)
        assert "Stores" in reached and reached[-1] == "Sign out", reached

        console.sign_out()
        console.open("/")
        console.until("signed out", lambda: console.driver.current_url.endswith("/signin"), 10)

        console.sign_in("clerk", "a-long-password-1")
        console.until("the clerk starts at the stock page", lambda: console.driver.title.startswith("Stock"), 10)
        links = [link.text for link in console.driver.find_elements(By.CSS_SELECTOR, "nav a")]
        assert links == ["Stock", "API"], f"the clerk is offered {links}"
        for path in ["/stores", "/users", "/engine", "/audit"]:
            console.open(path)
            assert console.driver.title.startswith("Not for you"), f"{path} shown to the clerk"
        console.open("/stock?shop=10020&product=First-Test")
        assert console.driver.title.startswith("Not for you"), "another shop's stock shown to the clerk"
        console.sign_out()
        print(f"console: every step passed; screenshots in {SHOTS}")
    finally:
        console.driver.quit()


if __name__ == "__main__":
    try:
        main()
    except BaseException:
        for name in PROCESSES:
            with open(os.path.join(WORK, name + ".log")) as log:
                sys.stderr.write(f"--- {name}.log (last lines)\n" + "".join(log.readlines()[-30:]))
        raise
    finally:
        for process in PROCESSES.values():
            if process.poll() is None:
                process.kill()
