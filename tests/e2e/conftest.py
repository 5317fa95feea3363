"""Fixtures for the end-to-end tests: the real built app, driven through tauri-driver and
WebKitWebDriver, on a fresh store per test; the `portfolio` CLI reads the same store."""
import json
import os
import shutil
import socket
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "target" / "debug" / "ai-factory-portfolio"
CLI = ROOT / "target" / "debug" / "portfolio"
REGISTRY = ROOT / "target" / "debug" / "portfolio-registry"


def bounded(step, seconds):
    """Runs `step`, giving up on it (never failing the test) after `seconds`."""

    def run():
        try:
            step()
        except Exception:
            pass  # teardown diagnostics never fail a test

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)


def stop(proc):
    """Stops a process and everything it started (its own process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(10)
            return
        except subprocess.TimeoutExpired:
            continue


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"tauri-driver never listened on port {port}")


class App:
    """The running app, with the few moves a person makes."""

    def __init__(self, driver, db, env):
        self.d = driver
        self.db = db
        # What the app was started with: a second launch uses the same.
        self.env = env
        # React re-renders replace nodes under our feet: a stale node means look again.
        self.wait = WebDriverWait(driver, 15, ignored_exceptions=[StaleElementReferenceException])

    def find(self, css):
        return self.wait.until(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), None))

    def button(self, text):
        """A visible button (or tab) whose text, or accessible name, is exactly `text`."""
        def look(d):
            for e in d.find_elements(By.CSS_SELECTOR, "button, [role=tab]"):
                if e.is_displayed() and text in (e.text.strip(), e.get_attribute("aria-label")):
                    return e
            return None
        return self.wait.until(look, f"no button '{text}'")

    def click(self, css):
        """Clicks the element, looking it up again if a re-render replaced it."""
        self.wait.until(lambda d: self.find(css).click() or True, f"could not click {css}")

    def press(self, text):
        self.wait.until(lambda d: self.button(text).click() or True, f"could not press '{text}'")

    def type(self, css, text):
        el = self.find(css)
        el.clear()
        el.send_keys(text)
        return el

    def text(self):
        return self.d.execute_script("return document.body.innerText")

    def wait_text(self, text):
        self.wait.until(lambda d: text in self.text(), f"'{text}' never appeared")

    def sign_in(self):
        """Answers the first-run question as Ada Lovelace."""
        self.type("#identity-name", "Ada Lovelace")
        self.type("#identity-email", "ada@example.org")
        self.press("Save")

    def load_demo(self):
        """Signs in and loads the demo portfolio, waiting for its table."""
        self.sign_in()
        self.click("#load-demo")
        self.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".cell-title")) > 10)

    def cli(self, *args):
        out = subprocess.run([str(CLI), "--db", str(self.db), *args], capture_output=True, text=True, check=True)
        return json.loads(out.stdout) if "--json" in args else out.stdout


@pytest.fixture
def app(tmp_path):
    for path, what in [(APP, "the app"), (CLI, "the CLI")]:
        assert path.exists(), f"{what} is not built: cargo build -p ai-factory-portfolio -p portfolio-cli"
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo" / "bin" / "tauri-driver")
    db = tmp_path / "e2e.db"
    port = free_port()
    # Native file dialogs are answered with this path (see src-tauri/src/file_dialog.rs).
    # Registry tokens go to a file under the test's folder, never the machine's keyring; so
    # do the app's log and its window's remembered size (the OS's data and config folders).
    env = dict(
        os.environ,
        PORTFOLIO_DB=str(db),
        PORTFOLIO_DIALOG_PATH=str(tmp_path / "export.xlsx"),
        PORTFOLIO_KEYRING="off",
        PORTFOLIO_CONFIG_DIR=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "os-config"),
    )
    env.pop("PORTFOLIO_USER", None)
    log = open(tmp_path / "driver.log", "w")
    driver_proc = subprocess.Popen(
        [driver_bin, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_port(port)
        opts = ArgOptions()
        opts.set_capability("browserName", "wry")
        opts.set_capability("tauri:options", {"application": str(APP)})
        # WebKitWebDriver now and then fails to hand over a new session on a loaded machine:
        # one more try, then the error stands.
        try:
            d = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=opts)
        except Exception:
            time.sleep(1)
            d = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=opts)
        d.set_window_size(1440, 900)
        yield App(d, db, env)
        # Each step of the teardown is bounded: WebKitWebDriver now and then never answers a
        # screenshot of a page that has stopped painting, and a stuck teardown must not
        # hold the test run; the driver's whole process group is stopped at the end anyway.
        bounded(lambda: d.save_screenshot(str(tmp_path / "last.png")), 10)
        bounded(d.quit, 10)
    finally:
        stop(driver_proc)
