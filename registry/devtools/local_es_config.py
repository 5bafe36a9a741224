"""Helpers for the local Elasticsearch node: JDK, user, files, HTTP and processes."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_VERSION = "9.5.4"
DEFAULT_PORT = 9200
DEFAULT_HEAP = "1g"
DEFAULT_USER = "registry-es"
MIN_JAVA = 21
CLUSTER_NAME = "av-registry-local"
ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
MAVEN_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy"
JVM_ROOT = Path("/usr/lib/jvm")
JAVA_ENV_VARS = ("REGISTRY_ES_JAVA_HOME", "ES_JAVA_HOME", "JAVA_HOME")


class LocalElasticsearchError(RuntimeError):
    """Report a problem with the local node in a message meant for the user."""


@dataclass(frozen=True)
class JavaHome:
    """A JDK usable by Elasticsearch."""

    path: Path
    version: str
    major: int


def is_root() -> bool:
    """Tell whether this process runs as root."""
    return os.geteuid() == 0


def default_home() -> Path:
    """Return the folder holding downloads, distributions and node data."""
    if os.environ.get("REGISTRY_ES_HOME"):
        return Path(os.environ["REGISTRY_ES_HOME"]).expanduser().resolve()
    if is_root():
        return Path("/var/lib/av-registry/elasticsearch")
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser().resolve() / "av-registry" / "elasticsearch"


def default_port() -> int:
    """Return the HTTP port from REGISTRY_ES_PORT, or 9200."""
    raw = os.environ.get("REGISTRY_ES_PORT", "").strip()
    if not raw:
        return DEFAULT_PORT
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise LocalElasticsearchError(f"REGISTRY_ES_PORT={raw!r} is not a valid TCP port.")
    return int(raw)


def default_version() -> str:
    """Return the Elasticsearch version from REGISTRY_ES_VERSION, or the pinned default."""
    return os.environ.get("REGISTRY_ES_VERSION", "").strip() or DEFAULT_VERSION


def check_version(version: str) -> str:
    """Return the version if it looks like an Elasticsearch release number."""
    if not re.fullmatch(r"\d+\.\d+\.\d+(-[A-Za-z0-9.]+)?", version):
        raise LocalElasticsearchError(f"{version!r} is not an Elasticsearch version (e.g. 9.5.4).")
    return version


def heap_options() -> str:
    """Return ES_JAVA_OPTS: a fixed heap from REGISTRY_ES_HEAP plus REGISTRY_ES_JAVA_OPTS."""
    heap = os.environ.get("REGISTRY_ES_HEAP", "").strip() or DEFAULT_HEAP
    if not re.fullmatch(r"\d+[kKmMgG]?", heap):
        raise LocalElasticsearchError(f"REGISTRY_ES_HEAP={heap!r} is not a heap size like 1g.")
    extra = os.environ.get("REGISTRY_ES_JAVA_OPTS", "").strip()
    return f"-Xms{heap} -Xmx{heap} {extra}".strip()


def java_version(java_home: Path, run_as: list[str] | None = None) -> str | None:
    """Return the version string printed by `java -version`, or None if it does not run."""
    java = java_home / "bin" / "java"
    if not os.access(java, os.X_OK):
        return None
    try:
        proc = subprocess.run(
            [*(run_as or []), str(java), "-version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "([^"]+)"', proc.stderr + proc.stdout)
    return match.group(1) if proc.returncode == 0 and match else None


def java_major(version: str) -> int:
    """Return the feature release of a Java version string (1.8.0_x -> 8, 25.0.3 -> 25)."""
    parts = re.split(r"[.+_-]", version)
    if parts[0] == "1" and len(parts) > 1:
        return int(parts[1])
    return int(parts[0]) if parts[0].isdigit() else 0


def _java_candidates() -> list[tuple[str, Path]]:
    """List JDK folders to try, environment variables first, then /usr/lib/jvm, then PATH."""
    found: list[tuple[str, Path]] = []
    for var in JAVA_ENV_VARS:
        if os.environ.get(var):
            found.append((f"${var}", Path(os.environ[var])))
    if JVM_ROOT.is_dir():
        found += [(str(p), p) for p in sorted(JVM_ROOT.iterdir()) if (p / "bin" / "java").exists()]
    on_path = shutil.which("java")
    if on_path:
        found.append(("java on PATH", Path(on_path).resolve().parent.parent))
    return found


def find_java(run_as: list[str] | None = None) -> JavaHome:
    """Return the first JDK >= 21 from the environment, else the newest under /usr/lib/jvm."""
    tried: list[str] = []
    seen: set[Path] = set()
    best: JavaHome | None = None
    for label, path in _java_candidates():
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        version = java_version(real, run_as)
        major = java_major(version) if version else 0
        tried.append(f"  {label}: {path} -> {version or 'no working bin/java'}")
        if major < MIN_JAVA:
            continue
        candidate = JavaHome(real, version or "", major)
        if label.startswith("$"):
            return candidate
        if best is None or major > best.major:
            best = candidate
    if best:
        return best
    raise LocalElasticsearchError(
        f"No JDK >= {MIN_JAVA} found for Elasticsearch. Checked:\n"
        + ("\n".join(tried) or "  (no candidates)")
        + f"\nInstall a JDK {MIN_JAVA}+ (e.g. Temurin 21 or 25) and set "
        "REGISTRY_ES_JAVA_HOME to its folder."
    )


def ensure_user(name: str) -> pwd.struct_passwd:
    """Return the system account that runs the node, creating it when missing."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    cmd = [useradd, "--system", "--user-group", "--no-create-home"]
    cmd += ["--shell", "/usr/sbin/nologin", name]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise LocalElasticsearchError(
            f"Elasticsearch refuses to run as root and creating the user {name!r} failed:\n"
            f"{proc.stderr.strip()}\nCreate it yourself or run as a non-root user."
        )
    return pwd.getpwnam(name)


def run_as_prefix(user: pwd.struct_passwd) -> list[str]:
    """Return the command prefix that runs a program as the given user."""
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups"]
    return [shutil.which("runuser") or "/usr/sbin/runuser", "-u", user.pw_name, "--"]


def render_config(port: int, data_dir: Path, logs_dir: Path) -> str:
    """Return elasticsearch.yml for a single loopback node without security."""
    settings = {
        "cluster.name": CLUSTER_NAME,
        "node.name": f"local-{port}",
        "path.data": str(data_dir),
        "path.logs": str(logs_dir),
        "network.host": "127.0.0.1",
        "http.port": port,
        "transport.port": f"{port + 100}-{port + 199}",
        "discovery.type": "single-node",
        "xpack.security.enabled": False,
        "cluster.routing.allocation.disk.threshold_enabled": False,
        "action.destructive_requires_name": False,
    }
    lines = [f"{key}: {json.dumps(value)}" for key, value in settings.items()]
    header = "# Written by `registry dev-es start`; regenerated at every start.\n"
    return header + "\n".join(lines) + "\n"


def tail(path: Path, lines: int = 30) -> str:
    """Return the last lines of a text file, or an empty string if it cannot be read."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(line[:400] for line in text.splitlines()[-lines:])


def http_json(url: str, timeout: float) -> dict[str, Any] | None:
    """GET a URL and return its JSON object, or None on any failure or non-2xx answer."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            data = json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def port_free(port: int) -> bool:
    """Tell whether 127.0.0.1:port can be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def process_alive(pid: int) -> bool:
    """Tell whether a process exists and is not a zombie."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat_line.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def is_elasticsearch_process(pid: int) -> bool:
    """Tell whether a live process runs Elasticsearch."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return process_alive(pid) and b"org.elasticsearch" in cmdline


def send_signal(pid: int, sig: signal.Signals) -> None:
    """Send a signal, explaining a permission problem."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError as exc:
        raise LocalElasticsearchError(
            f"Not allowed to signal pid {pid}; run `registry dev-es stop` as its owner or root."
        ) from exc


def wait_exit(pid: int, timeout: float) -> bool:
    """Wait until a process is gone; return whether it went."""
    deadline = time.monotonic() + timeout
    while process_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    return True
