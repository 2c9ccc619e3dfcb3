"""Browser journeys: the real `ecaf` binary on a free port with a temp SQLite file and
demo data, driven by Playwright through Debian's Chromium, with axe-core on every page."""
import base64
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import email
import email.header

import pytest
from aiosmtpd.controller import Controller
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

PASSWORD = "browser-demo-password"


def traceable():
    """Whether strace is here and may trace (a container may forbid ptrace)."""
    return shutil.which("strace") is not None and subprocess.run(
        ["strace", "-f", "-qq", "-o", os.devnull, "true"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL).returncode == 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """An SMTP sink (aiosmtpd) the server delivers to: what each address received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"

    def wait_for(self, address, subject, timeout=30):
        """The body of the newest message to an address with this subject, waiting for the
        server's postman (it runs every few seconds)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for message in reversed(self.messages):
                if message["To"] == f"<{address}>" and str(email.header.make_header(email.header.decode_header(message["Subject"]))) == subject:
                    return message.get_payload(decode=True).decode()
            time.sleep(0.25)
        raise AssertionError(f"no e-mail '{subject}' reached {address}")


@pytest.fixture(scope="session")
def mailbox():
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture(scope="session")
def server(mailbox):
    root = os.environ.get("ECAF_ROOT", os.getcwd())
    binary = os.environ.get("ECAF_BINARY", os.path.join(root, ".build/debug/ecaf"))
    data = tempfile.mkdtemp(prefix="ecaf-browser-")
    port = free_port()
    env = dict(os.environ, ECAF_SQLITE_PATH=os.path.join(data, "ecaf.sqlite"), ECAF_DEMO_PASSWORD=PASSWORD)
    env.pop("DATABASE_URL", None)
    # The sealer's keys as a deployment gives them, so `ecaf audit` (test_zz_audit_cli) uses them too.
    for name in ("ECAF_AUDIT_KEY", "ECAF_AUDIT_SIGNING_KEY"):
        os.environ[name] = env[name] = base64.b64encode(os.urandom(32)).decode()
    env.update(ECAF_SMTP_HOST="127.0.0.1", ECAF_SMTP_PORT=str(mailbox.port), ECAF_SMTP_SECURITY="none",
               ECAF_PUBLIC_URL=f"http://localhost:{port}")
    log = open(os.path.join(data, "server.log"), "w")
    command = [binary, "serve", "--demo", "--hostname", "127.0.0.1", "--port", str(port)]
    # Every address the server connects or sends to, for test_zz_egress (ASVS V10.2.1).
    connections = os.path.join(data, "connections.log")
    if traceable():
        command = ["strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect,sendto,sendmsg",
                   "-o", connections] + command
    os.environ["ECAF_BROWSER_CONNECTIONS"] = connections if traceable() else ""
    process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    # By host name, not address: a browser scopes security keys (WebAuthn) to a domain, and
    # refuses an IP address as one. The server still listens on 127.0.0.1 only.
    base = f"http://localhost:{port}"
    os.environ["ECAF_BROWSER_DB"] = env["ECAF_SQLITE_PATH"]
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                raise RuntimeError("ecaf did not start: " + open(log.name).read())
            time.sleep(0.2)
    yield base
    # The whole group: under strace the server is strace's child.
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        yield browser
        browser.close()


class Visit:
    """A signed-in person's browser tab that runs axe on every page it lands on."""

    axe = Axe()

    def __init__(self, browser, base):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.base = base
        self.checked = []

    def check(self):
        results = self.axe.run(self.page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        assert not bad, f"axe on {self.page.url}: " + "; ".join(f"{v['id']}: {v['help']}" for v in bad)
        # Error summaries link to fields by id, so every id must be unique.
        duplicates = self.page.evaluate(
            "() => { const seen = {}; for (const e of document.querySelectorAll('[id]')) seen[e.id] = (seen[e.id] || 0) + 1;"
            " return Object.keys(seen).filter(k => seen[k] > 1); }")
        assert not duplicates, f"duplicate ids on {self.page.url}: {duplicates}"
        self.checked.append(self.page.url)

    def goto(self, path):
        self.page.goto(self.base + path)
        self.check()

    def sign_in(self, email):
        self.goto("/sign-in")
        self.page.fill("#email", email)
        self.page.fill("#password", PASSWORD)
        self.page.click("button:has-text('Sign in')")
        self.check()
        assert self.page.locator("h1").inner_text() == "Your worktray"

    def follow(self, text):
        self.page.get_by_role("link", name=text, exact=True).first.click()
        self.check()

    def submit(self, text):
        self.page.get_by_role("button", name=text, exact=True).click()
        self.check()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, server):
    visits = []

    def open_visit():
        v = Visit(browser, server)
        visits.append(v)
        return v

    yield open_visit
    for v in visits:
        v.close()


def api(base, method, path, token=None, body=None, headers=None):
    """Calls the JSON API, for setting up what a journey starts from."""
    import json

    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


def api_token(base, email):
    return api(base, "POST", "/api/v1/auth/token", body={"email": email, "password": PASSWORD})["token"]
