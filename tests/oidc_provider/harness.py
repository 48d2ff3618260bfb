"""Start the real OpenID Connect provider of `provider.mjs` (panva/oidc-provider on Node) on
127.0.0.1, and drive it as a person and as its administrator would.

`npm ci` installs it from package-lock.json when node_modules is missing. Without Node the
tests that need it are skipped with the reason (in CI, where it must run, they fail instead).
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

HERE = Path(__file__).resolve().parent
PORTS = range(18100, 18200)  # the ports this project's tests may serve on
START_TIMEOUT = 30


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"The OpenID Connect provider tests must run in CI, but {reason}")
    pytest.skip(f"OpenID Connect provider tests skipped: {reason}")


def _npm_ci() -> None:
    """Install the provider's packages once (a lock file keeps parallel workers apart)."""
    if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("npm is not installed (apt-get install -y nodejs npm).")
    with open(HERE / ".npm-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
            return
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            _unavailable(f"`npm ci` in {HERE} failed: {result.stderr[-500:]}")


@dataclass
class Provider:
    """A running provider: its issuer URL, and its test control endpoints."""

    issuer: str
    control_token: str
    process: subprocess.Popen = field(repr=False)

    def _control(self, path: str, body: dict | None = None) -> dict:
        response = requests.post(
            f"{self.issuer}/__test__/{path}",
            json=body or {},
            headers={"x-control-token": self.control_token},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()

    def add_account(
        self,
        account_id: str,
        *,
        email: str,
        email_verified: bool = True,
        groups: tuple[str, ...] = (),
        given_name: str = "",
        family_name: str = "",
    ) -> None:
        self._control(
            "accounts",
            {
                "id": account_id,
                "email": email,
                "email_verified": email_verified,
                "groups": list(groups),
                "given_name": given_name,
                "family_name": family_name,
            },
        )

    def disable_account(self, account_id: str) -> None:
        self._control(f"accounts/{account_id}/disable")

    def delete_account(self, account_id: str) -> None:
        self._control(f"accounts/{account_id}/delete")

    def set_lifetimes(self, client_id: str, **seconds: int) -> None:
        """access_token=…, id_token=…, refresh_token=… for this client's new tokens."""
        self._control("lifetimes", {"client_id": client_id, **seconds})

    def register_client(
        self, *, redirect_uris: list[str], refresh: bool = True, post_logout: list[str] = ()
    ) -> tuple[str, str]:
        """Register a confidential client (RFC 7591); return its id and secret."""
        grant_types = ["authorization_code", "refresh_token"] if refresh else ["authorization_code"]
        response = requests.post(
            f"{self.issuer}/reg",
            json={
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": list(post_logout),
                "grant_types": grant_types,
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_post",
                "client_name": "Strategy Tracker (tests)",
            },
            timeout=10,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return body["client_id"], body["client_secret"]

    def sign_in(
        self,
        authorization_url: str,
        login: str,
        password: str = "any",
        browser: requests.Session | None = None,
    ) -> str:
        """Follow the authorization request as a browser would, sign in on the provider's
        form, and return the URL the provider redirects back to (the tracker's callback).
        `browser` keeps the provider's cookies (its session) for later requests."""
        browser = browser if browser is not None else requests.Session()
        url, submitted = authorization_url, False
        for _hop in range(10):
            response = browser.get(url, allow_redirects=False, timeout=10)
            if response.is_redirect:
                location = urljoin(url, response.headers["Location"])
                if not location.startswith(self.issuer):
                    return location  # back to the relying party
                url = location
                continue
            assert response.status_code == 200, response.text[:500]
            assert not submitted, "the provider asked to sign in twice"
            action = re.search(r'<form[^>]*action="([^"]+)"', response.text)
            assert action, response.text[:500]
            response = browser.post(
                urljoin(url, unescape(action.group(1))),
                data={"prompt": "login", "login": login, "password": password},
                allow_redirects=False,
                timeout=10,
            )
            assert response.is_redirect, response.text[:500]
            submitted = True
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("the provider never redirected back")

    def end_session(self, logout_url: str, browser: requests.Session) -> str:
        """Confirm an RP-initiated logout on the provider's page; return where it sends the
        browser afterwards."""
        page = browser.get(logout_url, allow_redirects=False, timeout=10)
        assert page.status_code == 200, page.text[:500]
        form = re.search(r'<form[^>]*id="op.logoutForm"[^>]*>(.*?)</form>', page.text, re.S)
        assert form, page.text[:800]
        action = re.search(r'action="([^"]+)"', form.group(0)).group(1)
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1)))
        done = browser.post(
            urljoin(logout_url, unescape(action)),
            data={**fields, "logout": "yes"},
            allow_redirects=False,
            timeout=10,
        )
        assert done.is_redirect, done.text[:500]
        return done.headers["Location"]

    def has_session(self, browser: requests.Session, *, client_id: str, redirect_uri: str) -> bool:
        """Does the provider still know this browser? (a silent prompt=none request)"""
        response = browser.get(
            f"{self.issuer}/auth",
            params={
                "client_id": client_id,
                "response_type": "code",
                "scope": "openid",
                "redirect_uri": redirect_uri,
                "prompt": "none",
                "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "code_challenge_method": "S256",
            },
            allow_redirects=False,
            timeout=10,
        )
        assert response.is_redirect, response.text[:500]
        return "code=" in response.headers["Location"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def provider_start() -> Provider:
    """Install (when needed) and start the provider on a free port of PORTS."""
    node = shutil.which("node")
    if node is None:
        _unavailable("Node.js is not installed (apt-get install -y nodejs npm).")
    _npm_ci()
    token = secrets.token_urlsafe(16)
    ports = list(PORTS)
    random.shuffle(ports)  # two test workers start at once: spread them out
    last_error = ""
    for port in ports[:10]:
        # Its warnings go to a file: a full pipe nobody reads would block the provider.
        log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - read after the process
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [node, str(HERE / "provider.mjs")],
            cwd=HERE,
            env={**os.environ, "PORT": str(port), "CONTROL_TOKEN": token},
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        line = process.stdout.readline() if process.stdout else ""
        if line.startswith("ready "):
            issuer = line.split(" ", 1)[1].strip()
            provider = Provider(issuer=issuer, control_token=token, process=process)
            while time.monotonic() < deadline:
                try:
                    discovery = f"{issuer}/.well-known/openid-configuration"
                    if requests.get(discovery, timeout=2).ok:
                        return provider
                except requests.RequestException:
                    time.sleep(0.2)
            provider.stop()
            last_error = "it did not answer its discovery URL"
            continue
        process.kill()
        process.wait()
        log.seek(0)
        last_error = log.read()[-500:]
        if "EADDRINUSE" not in last_error:
            break
    _unavailable(f"the provider did not start: {last_error}")
    raise AssertionError  # unreachable: _unavailable skips or fails


def callback_path(url: str) -> str:
    """The tracker-relative part of the provider's redirect (path and query)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@dataclass
class OidcClient:
    """The tracker registered as a client of the provider, and configured to use it."""

    provider: Provider
    client_id: str
    client_secret: str
    browser: requests.Session = field(default_factory=requests.Session, repr=False)

    def sign_in(self, client, login: str):
        """Sign in through the provider with Django's test client; return the callback's
        response (the tracker's redirect after it). Each sign-in is a new browser at the
        provider; its cookies stay in `self.browser`, as they would in the person's browser."""
        self.browser = requests.Session()
        start = client.get("/oidc/authenticate/")
        assert start.status_code == 302, start
        back = self.provider.sign_in(start["Location"], login, browser=self.browser)
        return client.get(callback_path(back))


def oidc_configure(settings, provider: Provider, *, base_url: str, refresh: bool = True):
    """Register a fresh client for `base_url` and point the tracker's settings at it."""
    from accounts.oidc import oidc_discovery_forget

    client_id, secret = provider.register_client(
        redirect_uris=[f"{base_url}/oidc/callback/"],
        post_logout=[f"{base_url}/accounts/login/"],
        refresh=refresh,
    )
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = client_id
    settings.OIDC_RP_CLIENT_SECRET = secret
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_PROVIDER_NAME = "Test IdP"
    oidc_discovery_forget()
    return OidcClient(provider=provider, client_id=client_id, client_secret=secret)
