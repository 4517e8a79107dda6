"""Offline MT models: install a CTranslate2 model (directory, .zip/.tar.gz or Argos `.argosmodel`) for one language
pair under `<models_dir>/<source>-<target>/`, after a safe unpack and a probe translation; list what is installed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from xborder.kernel import Conflict, ErrorDetail, ValidationFailed

__all__ = ["MANIFEST_NAME", "InstalledModel", "install_mt_model", "list_mt_models", "model_pair_dir"]

MANIFEST_NAME = "xborder-model.json"
MAX_UNPACKED_BYTES = 4 * 1024**3  # the largest Argos packages are a few hundred MB; 4 GiB leaves headroom
MAX_MEMBERS = 10_000
FETCH_TIMEOUT_SECONDS = 120.0
_LANG = re.compile(r"^[a-z]{2,3}$")
_CODE = "localization.mt_model_invalid"

Fetch = Callable[[str, str, Path], Path]  # (source, target, work dir) -> downloaded archive path


@dataclass(frozen=True, slots=True)
class InstalledModel:
    source: str
    target: str
    path: Path
    origin: str
    sha256: str
    size_bytes: int
    installed_at: str


def _invalid(message: str, field: str = "archive") -> ValidationFailed:
    return ValidationFailed(message, details=[ErrorDetail(message, field=field, code=_CODE)])


def _language(value: str, field: str) -> str:
    code = value.strip().replace("_", "-").split("-")[0].lower()
    if not _LANG.match(code):
        raise _invalid(f"{value!r} is not a language code (expected e.g. zh, ja, en)", field)
    return code


def model_pair_dir(models_dir: Path, source: str, target: str) -> Path:
    return Path(models_dir) / f"{_language(source, 'source')}-{_language(target, 'target')}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        if path.is_dir():
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
        raise _invalid(f"archive member {name!r} escapes the target folder; refusing to unpack")
    return path


def _unpack_zip(archive: Path, dest: Path, max_bytes: int) -> None:
    try:
        handle = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise _invalid(f"{archive.name} is not a valid zip archive") from None
    with handle:
        infos = handle.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _invalid(f"archive has {len(infos)} members, more than {MAX_MEMBERS}")
        total = 0
        for info in infos:
            member = _safe_member(info.filename)
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise _invalid(f"archive member {info.filename!r} is a symbolic link; refusing to unpack")
            total += info.file_size
            if total > max_bytes:
                raise _invalid(f"archive unpacks to more than {max_bytes} bytes; refusing to unpack")
            target = dest.joinpath(*member.parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with handle.open(info) as source, target.open("wb") as out:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    written += len(chunk)
                    if written > info.file_size:  # a lying header must not get past the size cap
                        raise _invalid(f"archive member {info.filename!r} is larger than declared")
                    out.write(chunk)


def _unpack_tar(archive: Path, dest: Path, max_bytes: int) -> None:
    try:
        with tarfile.open(archive, "r:*") as handle:
            _extract_tar(handle, dest, max_bytes)
    except tarfile.TarError:
        raise _invalid(f"{archive.name} is not a valid tar archive") from None


def _extract_tar(handle: tarfile.TarFile, dest: Path, max_bytes: int) -> None:
    members = handle.getmembers()
    if len(members) > MAX_MEMBERS:
        raise _invalid(f"archive has {len(members)} members, more than {MAX_MEMBERS}")
    total = 0
    for member in members:
        _safe_member(member.name)
        if not (member.isfile() or member.isdir()):
            raise _invalid(f"archive member {member.name!r} is a link or device; refusing to unpack")
        total += member.size
        if total > max_bytes:
            raise _invalid(f"archive unpacks to more than {max_bytes} bytes; refusing to unpack")
    handle.extractall(dest, members=members, filter="data")


def _model_root(unpacked: Path) -> Path:
    """The folder holding model.bin: the top, a single wrapping folder, or an Argos package's `model/`."""
    candidates = [p.parent for p in unpacked.rglob("model.bin") if len(p.relative_to(unpacked).parts) <= 3]
    if not candidates:
        raise _invalid("no CTranslate2 model (model.bin) found in the archive or folder")
    if len(candidates) > 1:
        raise _invalid(f"{len(candidates)} model.bin files found; an archive must hold exactly one model")
    return candidates[0]


def _argos_metadata(root: Path) -> tuple[dict[str, object], Path] | None:
    """metadata.json next to (or above) an Argos package's `model/` folder, with the package folder."""
    package = root.parent if root.name == "model" else root
    path = package / "metadata.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise _invalid("metadata.json of the Argos package is not valid JSON") from None
    if not isinstance(data, dict):
        raise _invalid("metadata.json of the Argos package is not a JSON object")
    return data, package


def _probe(model: Path) -> None:
    """The model must load and translate one sentence, or nothing gets installed."""
    try:
        import ctranslate2
    except ImportError:
        raise _invalid("the ctranslate2 package is not installed; pip install ctranslate2") from None
    tokens = ["hello", "world"]
    spm = next((model / n for n in ("source.spm", "sentencepiece.model") if (model / n).is_file()), None)
    if spm is not None:
        try:
            import sentencepiece

            tokens = sentencepiece.SentencePieceProcessor(model_file=str(spm)).encode("Hello world.", out_type=str)
        except ImportError:
            pass  # without sentencepiece the probe feeds raw tokens; loading and decoding is still proven
    try:
        translator = ctranslate2.Translator(str(model), device="cpu", inter_threads=1, intra_threads=1)
        result = translator.translate_batch([tokens], beam_size=1, max_decoding_length=16)
    except (RuntimeError, ValueError, OSError) as exc:
        raise _invalid(f"the model does not load or translate with CTranslate2: {exc}") from None
    if not result or not result[0].hypotheses:
        raise _invalid("the model produced no translation for the probe sentence")


def _place(staged: Path, final: Path, replace: bool) -> None:
    """Swap the staged folder in with renames on one filesystem, so a reader never sees half a model."""
    if final.exists():
        if not replace:
            raise Conflict(f"a model for {final.name} is already installed at {final}; pass replace to overwrite",
                           details=[ErrorDetail("already installed", field="pair", code="conflict")])
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
        os.replace(staged, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staged, final)


def _argos_fetch(source: str, target: str, workdir: Path) -> Path:
    try:
        from argostranslate import package
    except ImportError:
        raise _invalid(f"no model file given and argostranslate is not installed, so {source}-{target} cannot be "
                       "downloaded. Get the .argosmodel (or a CTranslate2 model folder/.zip/.tar.gz) on a "
                       f"connected machine and run: xborder mt install {source} {target} --file PATH",
                       "archive") from None
    package.update_package_index()
    found = [p for p in package.get_available_packages() if p.from_code == source and p.to_code == target]
    if not found:
        raise _invalid(f"the Argos package index has no {source} -> {target} model", "pair")
    downloaded = Path(found[0].download())
    moved = workdir / downloaded.name
    shutil.move(str(downloaded), moved)
    return moved


def _fetch_with_timeout(fetch: Fetch, source: str, target: str, workdir: Path, timeout: float) -> Path:
    """Run the download in a worker thread so an offline index retry loop cannot hang the command."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["path"] = fetch(source, target, workdir)
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True, name="mt-fetch")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise _invalid(f"downloading {source}-{target} took longer than {timeout:.0f} s (offline?); install from a "
                       f"file instead: xborder mt install {source} {target} --file PATH")
    if "error" in box:
        error = box["error"]
        if isinstance(error, ValidationFailed):
            raise error
        raise _invalid(f"downloading {source}-{target} failed: {error}; install from a file instead: "
                       f"xborder mt install {source} {target} --file PATH")
    return Path(str(box["path"]))


def install_mt_model(*, source: str, target: str, models_dir: Path, archive: Path | None = None,
                     fetch: Fetch | None = None, replace: bool = False, max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
                     fetch_timeout: float = FETCH_TIMEOUT_SECONDS) -> InstalledModel:
    """Install the `source` -> `target` model from `archive` (a file or folder) or, without one, download it with
    `fetch` (default: Argos Translate's package index, when that package is installed)."""
    src, tgt = _language(source, "source"), _language(target, "target")
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    final = models_dir / f"{src}-{tgt}"
    with tempfile.TemporaryDirectory(prefix=".install-", dir=models_dir) as work_name:
        work = Path(work_name)
        if archive is None:
            archive = _fetch_with_timeout(fetch or _argos_fetch, src, tgt, work, fetch_timeout)
            origin = f"download:{archive.name}"
        else:
            archive = Path(archive)
            if not archive.exists():
                raise _invalid(f"{archive} does not exist")
            origin = f"file:{archive.resolve()}"
        unpacked = work / "unpacked"
        if archive.is_dir():
            shutil.copytree(archive, unpacked, symlinks=False)
        elif zipfile.is_zipfile(archive):
            unpacked.mkdir()
            _unpack_zip(archive, unpacked, max_unpacked_bytes)
        elif tarfile.is_tarfile(archive):
            unpacked.mkdir()
            _unpack_tar(archive, unpacked, max_unpacked_bytes)
        else:
            raise _invalid(f"{archive.name} is neither a folder, a zip (.zip/.argosmodel) nor a tar archive")
        root = _model_root(unpacked)
        staged = work / "model"
        shutil.copytree(root, staged)
        argos = _argos_metadata(root)
        if argos is not None:
            metadata, package = argos
            pair = (str(metadata.get("from_code", "")).lower(), str(metadata.get("to_code", "")).lower())
            if pair != (src, tgt):
                raise _invalid(f"the package translates {pair[0] or '?'} -> {pair[1] or '?'}, not {src} -> {tgt}",
                               "pair")
            if (package / "sentencepiece.model").is_file():
                shutil.copyfile(package / "sentencepiece.model", staged / "sentencepiece.model")
            shutil.copyfile(package / "metadata.json", staged / "argos-metadata.json")
        languages = staged / "languages.txt"
        if languages.is_file():
            declared = tuple(languages.read_text("utf-8").split())
            if declared != (src, tgt):
                raise _invalid(f"languages.txt says {' -> '.join(declared)}, not {src} -> {tgt}", "pair")
        languages.write_text(f"{src} {tgt}", encoding="utf-8")
        _probe(staged)
        size = sum(p.stat().st_size for p in staged.rglob("*") if p.is_file())
        manifest = {"source": src, "target": tgt, "origin": origin, "sha256": _sha256(archive),
                    "size_bytes": size, "installed_at": datetime.now(UTC).isoformat(timespec="seconds")}
        (staged / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _place(staged, final, replace)
    return _read(final)


def _read(path: Path) -> InstalledModel:
    data = json.loads((path / MANIFEST_NAME).read_text("utf-8"))
    return InstalledModel(source=data["source"], target=data["target"], path=path, origin=data["origin"],
                          sha256=data["sha256"], size_bytes=int(data["size_bytes"]),
                          installed_at=data["installed_at"])


def list_mt_models(*, models_dir: Path) -> list[InstalledModel]:
    """Installed models (folders with a manifest and model.bin), sorted by pair; a missing folder lists nothing."""
    root = Path(models_dir)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        if path.is_dir() and not path.name.startswith(".") and (path / "model.bin").is_file() \
                and (path / MANIFEST_NAME).is_file():
            try:
                found.append(_read(path))
            except (ValueError, KeyError):
                continue  # a hand-edited, broken manifest: the folder is not a managed install
    return found
