"""Turn intermediate avails into parsed records, keeping the state one file needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from importers.avails import vocab
from importers.avails.mapping_license import build_license, territory
from importers.avails.mapping_work import (
    LEVEL_WORK_TYPES,
    Errors,
    add_error,
    add_notice,
    add_warning,
    alid_identifier,
    build_work,
    level_identifiers,
)
from importers.base import ParsedRecord
from schemas.text import fold


@dataclass
class _Parent:
    """A season or series described inside other avails, merged across the file."""

    key: str
    locator: str
    raw: str
    work: dict[str, Any]
    errors: Errors


@dataclass
class _Volume:
    """The episode range a volume covers, to find episodes claimed by two volumes."""

    first: int
    last: int
    alid: str
    locator: str


def _merge(target: dict[str, Any], other: dict[str, Any]) -> None:
    """Fill the target's empty facts from another statement of the same parent."""
    for name, value in other.items():
        if name == "titles":
            known = {fold(item["text"]) for item in target[name]}
            target[name].extend(item for item in value if fold(item["text"]) not in known)
        elif name == "identifiers":
            target[name].extend(item for item in value if item not in target[name])
        elif name == "attributes":
            for key, item in value.items():
                target[name].setdefault(key, item)
        elif target.get(name) in (None, [], {}):
            target[name] = value


def _rating_problems(rating: dict[str, Any]) -> list[str]:
    """Return why a rating is not valid: its region, system, value or reason codes."""
    problems = []
    region = (rating.get("region") or "").strip()
    if region:
        _, reason = territory(region.split("-")[0] if "-" in region else region)
        if reason:
            problems.append(f"Region: {reason}")
    if not rating.get("system") or not rating.get("value"):
        problems.append("a Rating needs a System and a Value")
        return problems
    return problems + vocab.check_rating(rating["system"], rating["value"], rating["reasons"])


def _record(
    locator: str,
    raw: str,
    key: str | None,
    data: dict[str, Any] | None,
    errors: Errors,
    action: str = "upsert",
) -> ParsedRecord:
    """Return a parsed record with its reasons to refuse and its findings."""
    return ParsedRecord(
        locator,
        raw,
        key,
        data,
        dict(errors),
        action,
        authoritative=False,
        findings=list(errors.findings),
    )


@dataclass
class AvailRecordBuilder:
    """Build the records of one file: each Avail, its refused parts and the derived parents."""

    alids: dict[str, list[str]] = field(default_factory=dict)
    volumes: dict[str, list[_Volume]] = field(default_factory=dict)
    parents: dict[str, _Parent] = field(default_factory=dict)
    asset_ids: set[str] = field(default_factory=set)

    def records(
        self,
        avail: dict[str, Any],
        locator: str,
        raw: str,
        issues: Errors | None = None,
        transaction_issues: dict[int, Errors] | None = None,
    ) -> Iterator[ParsedRecord]:
        """Yield the record of one Avail, then one refused record per part that is an error."""
        errors = Errors()
        errors.absorb(issues if issues is not None else {})
        labels = avail.get("labels", {})
        alid = (avail.get("alid") or "").strip() or None
        source_key = self._key(avail, alid, locator, errors)
        entry_type = vocab.canonical("EntryType", avail.get("entry_type") or "")
        if entry_type in vocab.DELETE_ENTRY_TYPES:
            yield _record(locator, raw, source_key, None, errors, "delete")
            return
        asset = avail.get("asset")
        if asset is None:
            add_error(errors, labels.get("asset", "Asset"), "an Avail needs an Asset")
            yield _record(locator, raw, source_key, None, errors)
            return
        if avail.get("asset_count", 1) > 1:
            add_error(
                errors,
                labels.get("asset", "Asset"),
                f"{avail['asset_count']} Assets in one Avail are not supported: "
                f"give each asset its own Avail",
            )
        work, work_errors = build_work(asset, asset.get("work_type"))
        errors.absorb(work_errors)
        ident = alid_identifier(alid)
        if ident:
            work["identifiers"].insert(0, ident)
        elif alid:
            work["attributes"]["alid"] = alid
        self._check_volume(asset, work, alid or "", locator, errors)
        licensor = (
            {"kind": "organization", "name": avail["licensor"]} if avail.get("licensor") else None
        )
        licenses, refused = [], []
        for index, txn in enumerate(avail.get("transactions", []), start=1):
            license_, txn_errors = build_license(txn, licensor, avail.get("service_provider"))
            txn_errors.absorb((transaction_issues or {}).get(index, {}))
            if txn_errors:
                refused.append(_record(txn["locator"], txn["raw"], source_key, None, txn_errors))
            else:
                where = txn["locator"].split(" (line")[0]
                errors.findings.extend(
                    replace(f, path=f"{where}/{f.path}") for f in txn_errors.findings
                )
                licenses.append(license_)
        ratings = []
        for rating in asset.get("ratings", []):
            problems = _rating_problems(rating)
            if problems:
                where = rating.get("locator") or (
                    f"{locator.split(' (line')[0]}/{rating['path']} (line {rating['line']})"
                )
                for problem in problems:
                    add_warning(errors, "rating-invalid", where, f"rating left out: {problem}")
            else:
                ratings.append({k: rating[k] for k in ("region", "system", "value", "reasons")})
        if ratings:
            work["attributes"]["ratings"] = ratings
        for key, value in avail.get("attributes", {}).items():
            work["attributes"].setdefault(key, value)
        if avail.get("avail_type"):
            work["attributes"]["avail_type"] = avail["avail_type"]
        work["licenses"] = licenses
        self._collect_parents(asset.get("parent"), locator)
        self.asset_ids.update(i["value"] for i in level_identifiers(asset, Errors()))
        yield _record(locator, raw, source_key, work, errors)
        yield from refused

    def _key(self, avail: dict, alid: str | None, locator: str, errors: Errors) -> str | None:
        """Return the Avail's source key after checking its ALID, EntryType and AvailType.

        One asset commonly has several Avails (licensors, territories, terms): the first Avail
        of an ALID in a file is keyed by the ALID, the next ones by the ALID and their rank.
        A spreadsheet row without an ALID is keyed by its AvailID when it has one.
        """
        labels = avail.get("labels", {})
        label = labels.get("alid", "ALID")
        key = alid
        if not alid and avail.get("avail_id"):
            key = f"AvailID:{avail['avail_id']}"
            add_warning(errors, "alid-missing", label, f"ALID is required; keyed by {key!r}")
        elif not alid:
            add_error(errors, label, "ALID is required")
        if key:
            earlier = self.alids.setdefault(key, [])
            if earlier:
                add_notice(
                    errors,
                    "alid-repeated",
                    label,
                    f"{alid or key!r} was already used by {', '.join(earlier)}: kept as Avail "
                    f"{len(earlier) + 1} of that ALID",
                )
            earlier.append(locator.split(" (line")[0])
            if len(earlier) > 1:
                key = f"{key}#{len(earlier)}"
        self._check_types(avail, errors)
        return key

    def _check_types(self, avail: dict, errors: Errors) -> None:
        """Check the EntryType and the AvailType against their vocabularies."""
        labels = avail.get("labels", {})
        entry = avail.get("entry_type")
        label = labels.get("entry_type", "EntryType")
        reason = vocab.check("EntryType", entry) if entry else "EntryType is required"
        if reason:
            add_error(errors, label, reason)
        avail_type = avail.get("avail_type")
        reason = vocab.check("AvailType", avail_type) if avail_type else None
        if reason:
            add_error(errors, labels.get("avail_type", "AvailType"), reason)

    def _check_volume(
        self, asset: dict, work: dict, alid: str, locator: str, errors: Errors
    ) -> None:
        """Refuse a volume whose episodes another volume of the same season already holds."""
        if (asset.get("work_type") or "").casefold() != "volume":
            return
        first = work["attributes"].get("first_episode_number")
        count = work.get("episode_count")
        season = asset.get("parent") or {}
        season_key = season.get("content_id") or season.get("eidr_title")
        if first is None or not count or not season_key:
            return
        current = _Volume(first, first + count - 1, alid, locator.split(" (line")[0])
        for other in self.volumes.get(season_key, []):
            low, high = max(first, other.first), min(current.last, other.last)
            if low <= high:
                add_error(
                    errors,
                    asset.get("labels", {}).get("first_episode", "Volume"),
                    f"episodes {low}-{high} are already in volume {other.alid!r} "
                    f"({other.locator}); an episode belongs to one volume",
                )
        self.volumes.setdefault(season_key, []).append(current)

    def _collect_parents(self, level: dict[str, Any] | None, locator: str) -> None:
        """Remember the season and series an asset names, merged across the file."""
        while level is not None:
            work, errors = build_work(level, LEVEL_WORK_TYPES.get(level.get("level") or ""))
            identifiers = work["identifiers"]
            key_source = level.get("content_id") or level.get("eidr_title")
            if key_source and (identifiers or errors):
                key = f"{LEVEL_WORK_TYPES.get(level['level'], 'Parent')}:{key_source}"
                base, path = locator.split(" (line")[0], level.get("locator_path")
                where = f"{base}/{path}" if path else base
                if key in self.parents:
                    _merge(self.parents[key].work, work)
                    known = self.parents[key].errors.findings
                    known.extend(f for f in errors.findings if f not in known)
                else:
                    line = level.get("line")
                    self.parents[key] = _Parent(
                        key,
                        f"{where} (line {line})" if line else where,
                        level.get("raw") or "",
                        work,
                        errors,
                    )
            level = level.get("parent")

    def parent_records(self) -> Iterator[ParsedRecord]:
        """Yield the seasons and series described inside other avails, once each."""
        for parent in self.parents.values():
            values = {ident["value"] for ident in parent.work["identifiers"]}
            if values & self.asset_ids:
                continue
            parent.work["licenses"] = []
            yield _record(parent.locator, parent.raw, parent.key, parent.work, parent.errors)
