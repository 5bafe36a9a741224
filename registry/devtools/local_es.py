"""Fetch, run and stop a local single-node Elasticsearch for development and tests."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import shutil
import signal
import subprocess
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from registry.devtools import local_es_config as cfg
from registry.devtools import local_es_safety as safe
from registry.devtools.local_es_config import LocalElasticsearchError

__all__ = ["LocalElasticsearch", "LocalElasticsearchError"]

UNPACKED_MARKER = ".av-registry-unpacked"


class LocalElasticsearch:
    """A local Elasticsearch node on 127.0.0.1, owned by this project."""

    def __init__(
        self,
        version: str | None = None,
        port: int | None = None,
        home: str | Path | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.version = cfg.check_version(version or cfg.default_version())
        self.port = cfg.default_port() if port is None else int(port)
        if not 0 < self.port <= 65535 - 199:
            raise LocalElasticsearchError(f"Port {self.port} is out of range (1-65336).")
        self.home = Path(home).expanduser().resolve() if home else cfg.default_home()
        self.progress = progress or (lambda message: None)
        self.reused = False
        self._es_user: pwd.struct_passwd | None = None
        self._launcher_pgid: int | None = None
        self.node_dir = self.home / "nodes" / str(self.port)
        self.pid_file = self.node_dir / "elasticsearch.pid"
        self.logs_dir = self.node_dir / "logs"
        self.log_file = self.logs_dir / f"{cfg.CLUSTER_NAME}.log"
        self.launcher_log = self.home / "launcher" / f"{self.port}.out"
        self.zip_path = self.home / "downloads" / f"elasticsearch-{self.version}.zip"
        self.dist_dir = self.home / "dist" / f"elasticsearch-{self.version}"

    @property
    def url(self) -> str:
        """Return the base URL of the node."""
        return f"http://127.0.0.1:{self.port}"

    def fetch(self) -> Path:
        """Download the distribution with Maven unless it is already cached; return the zip."""
        if self.zip_path.is_file() and zipfile.is_zipfile(self.zip_path):
            safe.verify_archive(self.zip_path, self.version)
            return self.zip_path
        mvn = shutil.which("mvn")
        if not mvn:
            raise LocalElasticsearchError(
                f"Maven (`mvn`) is not on PATH and {self.zip_path} is not cached. Install Maven "
                "(e.g. `apt-get install maven`) or copy the integ-test-zip distribution there."
            )
        downloads = safe.make_dir(self.zip_path.parent)
        staging = downloads / f".mvn-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        artifact = cfg.ARTIFACT.format(version=self.version)
        self.progress(f"Fetching {artifact} with Maven")
        cmd = [mvn, "-B", "-Dstyle.color=never", cfg.MAVEN_PLUGIN, f"-Dartifact={artifact}"]
        cmd.append(f"-DoutputDirectory={staging}")
        log = downloads / f"mvn-{self.version}.log"
        try:
            with open(log, "w") as out:
                proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=1800)
        except subprocess.TimeoutExpired as exc:
            raise LocalElasticsearchError(f"Maven timed out fetching {artifact}.") from exc
        fetched = staging / self.zip_path.name
        if proc.returncode != 0 or not zipfile.is_zipfile(fetched):
            shutil.rmtree(staging, ignore_errors=True)
            raise LocalElasticsearchError(
                f"Maven could not fetch {artifact} (exit {proc.returncode}). "
                f"Last lines of {log}:\n{cfg.tail(log, 25)}"
            )
        try:
            safe.verify_archive(fetched, self.version)
        except LocalElasticsearchError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        os.replace(fetched, self.zip_path)
        self.zip_path.chmod(0o644)
        shutil.rmtree(staging, ignore_errors=True)
        return self.zip_path

    def unpack(self) -> Path:
        """Unpack the distribution once; return its folder."""
        if (self.dist_dir / UNPACKED_MARKER).is_file():
            return self.dist_dir
        archive = self.fetch()
        parent = safe.make_dir(self.dist_dir.parent)
        staging = parent / f".unpack-{self.version}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        self.progress(f"Unpacking {archive.name}")
        safe.unpack_zip(archive, staging)
        top = staging / self.dist_dir.name
        if not (top / "bin" / "elasticsearch").is_file():
            shutil.rmtree(staging, ignore_errors=True)
            raise LocalElasticsearchError(
                f"{archive} has no {self.dist_dir.name}/bin/elasticsearch."
            )
        shutil.rmtree(self.dist_dir, ignore_errors=True)
        os.replace(top, self.dist_dir)
        shutil.rmtree(staging, ignore_errors=True)
        (self.dist_dir / UNPACKED_MARKER).write_text(self.version + "\n")
        return self.dist_dir

    def start(self, timeout: float = 180) -> str:
        """Start the node unless one already answers on the port; return its URL."""
        deadline = time.monotonic() + timeout
        with self._lock():
            self.reused = True
            info = self._node_info()
            if self._owned_pid(info) is not None:
                if info and info["version"] != self.version:
                    self.progress(f"Reusing {info['version']}; `stop` it first to switch.")
                self._wait_ready(deadline, launched=False)
                return self.url
            if not cfg.port_free(self.port):
                if info is None and self._node_info() is None:
                    raise LocalElasticsearchError(
                        f"Port {self.port} is in use by something that is not Elasticsearch. "
                        "Choose another port with `--port` or REGISTRY_ES_PORT."
                    )
                self.progress(f"Reusing the Elasticsearch node already answering on {self.url}")
                return self.url
            self.reused = False
            prefix = self._user_prefix()
            java = cfg.find_java(prefix)
            dist = self.unpack()
            self._prepare_node(dist)
            self._launch(dist, java, prefix, deadline)
            self._wait_ready(deadline, launched=True)
        return self.url

    def stop(self, timeout: float = 60) -> bool:
        """Stop the node this project started; return False if none was running."""
        with self._lock():
            info = self._node_info()
            pid = self._owned_pid(info)
            if pid is None:
                if info is not None:
                    raise LocalElasticsearchError(
                        f"The Elasticsearch node on port {self.port} (pid {info['pid']}) was not "
                        f"started from {self.home}; stop it yourself."
                    )
                return False
            self.progress(f"Stopping Elasticsearch (pid {pid})")
            cfg.send_signal(pid, signal.SIGTERM)
            if not cfg.wait_exit(pid, timeout):
                cfg.send_signal(pid, signal.SIGKILL)
                cfg.wait_exit(pid, 15)
            self.pid_file.unlink(missing_ok=True)
            return True

    def status(self) -> dict[str, Any]:
        """Describe the node on the port: whether it runs, its pid, version and health."""
        info = self._node_info()
        health = cfg.http_json(self.url + "/_cluster/health", 5) if info else None
        pid = self._owned_pid(info)
        return {
            "running": info is not None,
            "managed": pid is not None,
            "pid": pid if pid is not None else (info or {}).get("pid"),
            "url": self.url,
            "port": self.port,
            "version": info["version"] if info else self.version,
            "health": (health or {}).get("status"),
            "home": str(self.home),
            "node_dir": str(self.node_dir),
            "log_file": str(self.log_file),
            "pid_file": str(self.pid_file),
        }

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """Serialise start and stop across processes sharing this home."""
        safe.make_dir(self.home)
        with open(self.home / ".lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _user_prefix(self) -> list[str]:
        """Return the prefix that drops root for the node, or nothing when not root."""
        if not cfg.is_root():
            return []
        self._es_user = cfg.ensure_user(os.environ.get("REGISTRY_ES_USER") or cfg.DEFAULT_USER)
        return cfg.run_as_prefix(self._es_user)

    def _prepare_node(self, dist: Path) -> None:
        """Write a fresh config folder and create the data and log folders."""
        for path in (self.home, self.home / "nodes", self.node_dir, self.logs_dir):
            safe.make_dir(path)
        data_dir = safe.make_dir(self.node_dir / f"data-{self.version}")
        conf_dir = self.node_dir / "config"
        shutil.rmtree(conf_dir, ignore_errors=True)
        shutil.copytree(dist / "config", conf_dir)
        with os.fdopen(safe.open_log(conf_dir / "elasticsearch.yml"), "w") as out:
            out.write(cfg.render_config(self.port, data_dir, self.logs_dir))
        safe.make_dir(self.node_dir / "tmp", 0o700)
        user = self._es_user
        if user is not None:
            safe.chown_tree(self.node_dir, user)
            check = 'test -w "$1" && test -x "$2"'
            probe = [*cfg.run_as_prefix(user), "/bin/sh", "-c", check, "sh"]
            probe += [str(self.node_dir), str(dist / "bin" / "elasticsearch")]
            if subprocess.run(probe, capture_output=True, check=False).returncode != 0:
                raise LocalElasticsearchError(
                    f"The user {user.pw_name!r} cannot reach {self.home} (a parent folder is "
                    "probably private, like /root). Set REGISTRY_ES_HOME to a folder such as "
                    "/var/lib/av-registry/elasticsearch."
                )

    def _launch(self, dist: Path, java: cfg.JavaHome, prefix: list[str], deadline: float) -> None:
        """Run bin/elasticsearch -d and wait for the launcher to return."""
        user = self._es_user if prefix else None
        env = safe.node_environment(
            java.path,
            cfg.heap_options(),
            self.node_dir / "config",
            self.node_dir / "tmp",
            self.node_dir if user else Path.home(),
            user.pw_name if user else None,
        )
        self.pid_file.unlink(missing_ok=True)
        safe.make_dir(self.launcher_log.parent)
        cmd = [*prefix, str(dist / "bin" / "elasticsearch"), "-d", "-p", str(self.pid_file)]
        self.progress(f"Starting Elasticsearch {self.version} on {self.url} (Java {java.version})")
        with os.fdopen(safe.open_log(self.launcher_log), "w") as out:
            launcher = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.node_dir,
                env=env,
                start_new_session=True,
            )
        self._launcher_pgid = launcher.pid
        try:
            code = launcher.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self._abort("did not start in time", self.launcher_log)
        if code != 0:
            self._abort(f"failed to start (launcher exit {code})", self.launcher_log)

    def _abort(self, reason: str, log: Path | None = None) -> NoReturn:
        """Kill a half-started node and raise an error with the tail of its logs."""
        pid = self._read_pid()
        if self._launcher_pgid is not None:
            with contextlib.suppress(OSError):
                os.killpg(self._launcher_pgid, signal.SIGKILL)
        if pid and cfg.process_alive(pid):
            cfg.send_signal(pid, signal.SIGKILL)
            cfg.wait_exit(pid, 15)
        self.pid_file.unlink(missing_ok=True)
        log = log or self.log_file
        parts = [f"Elasticsearch on port {self.port} {reason}."]
        parts.append(f"--- last lines of {log} ---\n{cfg.tail(log)}")
        raise LocalElasticsearchError("\n".join(parts))

    def _wait_ready(self, deadline: float, launched: bool) -> None:
        """Poll cluster health until the node is at least yellow."""
        query = "/_cluster/health?wait_for_status=yellow&timeout=5s"
        while True:
            health = cfg.http_json(self.url + query, 10)
            if health and health.get("status") in ("yellow", "green"):
                return
            pid = self._read_pid()
            if launched and pid is not None and not cfg.process_alive(pid):
                self._abort("exited during startup")
            if time.monotonic() >= deadline:
                if launched:
                    self._abort("did not become healthy in time")
                status = (health or {}).get("status", "no answer")
                raise LocalElasticsearchError(
                    f"The node on port {self.port} (pid {pid}) runs but is not healthy "
                    f"({status}); see {self.log_file} or restart it with `dev-es stop`."
                )
            time.sleep(0.5)

    def _node_info(self) -> dict[str, Any] | None:
        """Return version, pid and home of the Elasticsearch node on the port, if any."""
        query = "filter_path=nodes.*.version,nodes.*.process.id,nodes.*.settings.path.home"
        data = cfg.http_json(f"{self.url}/_nodes/_local/settings,process?{query}", 5)
        nodes = (data or {}).get("nodes")
        if not isinstance(nodes, dict) or len(nodes) != 1:
            return None
        node = next(iter(nodes.values()))
        return {
            "version": node.get("version"),
            "pid": node.get("process", {}).get("id"),
            "home": node.get("settings", {}).get("path", {}).get("home"),
        }

    def _read_pid(self) -> int | None:
        """Return the pid written by the node, if any."""
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def _owned_pid(self, info: dict[str, Any] | None) -> int | None:
        """Return the pid of our live node from the pid file or its home, else None."""
        pid = self._read_pid()
        if pid is not None and cfg.is_elasticsearch_process(pid):
            return pid
        if pid is not None:
            with contextlib.suppress(OSError):
                self.pid_file.unlink()
        if not info or not isinstance(info.get("pid"), int) or not info.get("home"):
            return None
        ours = Path(info["home"]).resolve().parent == self.home / "dist"
        return info["pid"] if ours and cfg.is_elasticsearch_process(info["pid"]) else None
