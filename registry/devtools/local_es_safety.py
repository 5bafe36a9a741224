"""Safety rules for running the local node as root: pinned archives, no symlinks, small env."""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import stat
import zipfile
from pathlib import Path

from registry.devtools.local_es_config import LocalElasticsearchError

# SHA-512 of org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip.
PINNED_SHA512 = {
    "9.5.4": (
        "a75df614854ace52dd0bce977662b3792873ac077ec0af9026cd0b2a0eb119e4"
        "49910f8eb8ed577d1a83c51c6ee6af71bf5004c3cf5b418c979186de8b5dd9e6"
    ),
}
SHA512_ENV = "REGISTRY_ES_SHA512"
# Variables the node's scripts read besides the ones the launcher sets itself.
PASSED_THROUGH = ("LANG", "LC_ALL", "TZ")
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


def expected_sha512(version: str) -> str:
    """Return the pinned SHA-512 of a version's zip (REGISTRY_ES_SHA512 for other versions)."""
    given = os.environ.get(SHA512_ENV, "").strip().lower()
    pinned = PINNED_SHA512.get(version)
    if given and pinned and given != pinned:
        raise LocalElasticsearchError(f"{SHA512_ENV} differs from the pinned hash of {version}.")
    if pinned or given:
        return pinned or given
    raise LocalElasticsearchError(
        f"Elasticsearch {version} has no pinned SHA-512; set {SHA512_ENV} to the hash its "
        "publisher gives for the integ-test-zip before using it."
    )


def file_sha512(path: Path) -> str:
    """Return the SHA-512 of a file, read without following a final symlink."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as fh:
        return hashlib.file_digest(fh, "sha512").hexdigest()


def verify_archive(path: Path, version: str) -> None:
    """Refuse an archive whose SHA-512 is not the expected one."""
    expected = expected_sha512(version)
    actual = file_sha512(path)
    if actual != expected:
        raise LocalElasticsearchError(
            f"{path} has SHA-512 {actual[:16]}..., expected {expected[:16]}...; "
            "delete it and fetch the distribution again."
        )


def masked_mode(mode: int, is_dir: bool) -> int:
    """Return an archive member's mode without setuid, setgid, sticky or group/other write."""
    kept = mode & 0o755
    return kept | 0o755 if is_dir else (kept or 0o644) | 0o444


def unpack_zip(archive: Path, target: Path) -> None:
    """Extract a zip into target with masked modes, refusing paths that leave it."""
    root = target.resolve()
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            dest = (root / info.filename).resolve()
            if dest != root and root not in dest.parents:
                raise LocalElasticsearchError(f"Unsafe path {info.filename!r} in {archive}.")
            mode = (info.external_attr >> 16) & 0o7777
            if info.is_dir():
                make_dir(dest, masked_mode(mode, is_dir=True))
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, os.fdopen(open_log(dest), "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
                os.fchmod(out.fileno(), masked_mode(mode, is_dir=False))


def chown_tree(root: Path, user: pwd.struct_passwd) -> None:
    """Give a folder and everything below it to the user, never following a symlink."""
    os.chown(root, user.pw_uid, user.pw_gid, follow_symlinks=False)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.chown(Path(dirpath) / name, user.pw_uid, user.pw_gid, follow_symlinks=False)


def make_dir(path: Path, mode: int = 0o755) -> Path:
    """Create a folder with its parents and set its mode, refusing a symlink in its place."""
    path.mkdir(parents=True, exist_ok=True)
    fd = open_dir(path)
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    return path


def open_dir(path: Path) -> int:
    """Open a folder without following a symlink at its last component."""
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise LocalElasticsearchError(f"{path} is not a plain folder (a symlink?): {exc}") from exc


def open_log(path: Path) -> int:
    """Open a file for writing, truncated, never through a symlink; return the descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise LocalElasticsearchError(f"Cannot open {path} safely: {exc}") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LocalElasticsearchError(f"{path} is not a regular file.")
    return fd


def node_environment(
    java_home: Path,
    java_opts: str,
    conf_dir: Path,
    tmp_dir: Path,
    home: Path,
    user: str | None,
    source: dict[str, str] | None = None,
) -> dict[str, str]:
    """Return the few variables the node needs; nothing else of the caller's environment."""
    source = dict(os.environ) if source is None else source
    env = {name: source[name] for name in PASSED_THROUGH if source.get(name)}
    env.update(
        PATH=SAFE_PATH,
        HOME=str(home),
        ES_JAVA_HOME=str(java_home),
        ES_JAVA_OPTS=java_opts,
        ES_PATH_CONF=str(conf_dir),
        ES_TMPDIR=str(tmp_dir),
    )
    if user:
        env.update(USER=user, LOGNAME=user)
    return env
