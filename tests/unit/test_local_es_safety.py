"""Running the local node as root: pinned archives, masked modes, no symlinks, a small env."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from pathlib import Path

import pytest

from registry.devtools import local_es_safety as safe
from registry.devtools.local_es_config import LocalElasticsearchError


def test_modes_lose_setuid_setgid_sticky_and_foreign_write():
    assert safe.masked_mode(0o4755, is_dir=False) == 0o755
    assert safe.masked_mode(0o2777, is_dir=False) == 0o755
    assert safe.masked_mode(0o1777, is_dir=True) == 0o755
    assert safe.masked_mode(0o600, is_dir=False) == 0o644
    assert safe.masked_mode(0, is_dir=False) == 0o644


def test_unpacking_masks_modes_and_refuses_escaping_paths(tmp_path: Path):
    archive = tmp_path / "es.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("es/bin/elasticsearch")
        info.external_attr = (stat.S_IFREG | 0o4777) << 16
        zf.writestr(info, "#!/bin/sh\n")
    safe.unpack_zip(archive, tmp_path / "out")
    mode = stat.S_IMODE((tmp_path / "out" / "es" / "bin" / "elasticsearch").stat().st_mode)
    assert mode == 0o755

    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../outside", "x")
    with pytest.raises(LocalElasticsearchError, match="Unsafe path"):
        safe.unpack_zip(evil, tmp_path / "out2")
    assert not (tmp_path / "outside").exists()


def test_the_node_gets_a_minimal_environment(tmp_path: Path):
    source = {
        "PATH": "/root/bin:/usr/bin",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "REGISTRY_DATABASE_URL": "postgresql://user:pw@db/registry",
        "JAVA_HOME": "/opt/old-java",
        "LD_PRELOAD": "/tmp/x.so",
        "LANG": "C.UTF-8",
    }
    env = safe.node_environment(
        Path("/usr/lib/jvm/jdk"), "-Xms1g -Xmx1g", tmp_path / "config", tmp_path / "tmp",
        tmp_path, "registry-es", source,
    )  # fmt: skip
    assert set(env) == {
        "PATH", "HOME", "LANG", "USER", "LOGNAME",
        "ES_JAVA_HOME", "ES_JAVA_OPTS", "ES_PATH_CONF", "ES_TMPDIR",
    }  # fmt: skip
    assert env["PATH"] == safe.SAFE_PATH and env["USER"] == "registry-es"
    assert "secret" not in "".join(env.values())


def test_logs_are_never_opened_through_a_symlink(tmp_path: Path):
    target = tmp_path / "precious"
    target.write_text("keep me")
    link = tmp_path / "launcher.out"
    link.symlink_to(target)
    with pytest.raises(LocalElasticsearchError, match="safely"):
        safe.open_log(link)
    assert target.read_text() == "keep me"
    fd = safe.open_log(tmp_path / "fresh.out")
    os.close(fd)
    assert (tmp_path / "fresh.out").is_file()


def test_folders_behind_symlinks_are_not_chmodded(tmp_path: Path):
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    (tmp_path / "logs").symlink_to(target)
    with pytest.raises(LocalElasticsearchError, match="not a plain folder"):
        safe.make_dir(tmp_path / "logs", 0o777)
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert stat.S_IMODE(safe.make_dir(tmp_path / "a" / "b", 0o750).stat().st_mode) == 0o750


def test_archives_must_match_the_pinned_hash(tmp_path: Path, monkeypatch):
    monkeypatch.delenv(safe.SHA512_ENV, raising=False)
    archive = tmp_path / "elasticsearch-9.5.4.zip"
    archive.write_bytes(b"not the real distribution")
    with pytest.raises(LocalElasticsearchError, match="SHA-512"):
        safe.verify_archive(archive, "9.5.4")
    assert len(safe.PINNED_SHA512["9.5.4"]) == 128


def test_unpinned_versions_need_a_hash_from_the_environment(tmp_path: Path, monkeypatch):
    monkeypatch.delenv(safe.SHA512_ENV, raising=False)
    archive = tmp_path / "elasticsearch-9.9.9.zip"
    archive.write_bytes(b"some zip")
    with pytest.raises(LocalElasticsearchError, match="no pinned SHA-512"):
        safe.verify_archive(archive, "9.9.9")
    monkeypatch.setenv(safe.SHA512_ENV, hashlib.sha512(b"some zip").hexdigest())
    safe.verify_archive(archive, "9.9.9")
    monkeypatch.setenv(safe.SHA512_ENV, "0" * 128)
    with pytest.raises(LocalElasticsearchError, match="differs from the pinned"):
        safe.expected_sha512("9.5.4")
