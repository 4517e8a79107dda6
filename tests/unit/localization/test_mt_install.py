"""Offline MT model install: from a folder, a zip, a tar.gz and an Argos package built here; wrong pairs, path
traversal, symlinks and oversize archives are refused; the CTranslate2 provider finds installed pairs; no network."""

from __future__ import annotations

import importlib.util
import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from xborder.kernel import Conflict, ValidationFailed
from xborder.localization.mt_models import MANIFEST_NAME, install_mt_model, list_mt_models
from xborder.localization.providers import (
    MtSettings,
    TranslationRequest,
    UnsupportedLanguagePair,
    load_provider,
)

pytest.importorskip("ctranslate2")


def _builder() -> Any:
    """The tiny-model builder of the MT provider contract suite, loaded by path (tests are not a package)."""
    path = Path(__file__).parents[2] / "contracts" / "test_mt_providers.py"
    spec = importlib.util.spec_from_file_location("_mt_contract_builder", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._build_tiny_ctranslate2_model


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "model"
    path.mkdir()
    _builder()(path)
    (path / "languages.txt").unlink()  # a plain converted model does not declare its pair
    return path


def _zip(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return target


def _argos(model: Path, target: Path, from_code: str, to_code: str) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        root = f"translate-{from_code}_{to_code}-1_0/"
        for file in sorted(model.rglob("*")):
            if file.is_file():
                archive.write(file, root + "model/" + file.relative_to(model).as_posix())
        archive.writestr(root + "metadata.json", json.dumps({"package_version": "1.0", "from_code": from_code,
                                                             "to_code": to_code, "from_name": "Chinese",
                                                             "to_name": "Japanese"}))
    return target


def test_install_from_folder_and_list(model_dir: Path, tmp_path: Path) -> None:
    models = tmp_path / "mt-models"
    installed = install_mt_model(source="zh-CN", target="ja", models_dir=models, archive=model_dir)
    assert (installed.source, installed.target, installed.path) == ("zh", "ja", models / "zh-ja")
    assert (models / "zh-ja" / "model.bin").is_file()
    assert (models / "zh-ja" / "languages.txt").read_text("utf-8") == "zh ja"
    manifest = json.loads((models / "zh-ja" / MANIFEST_NAME).read_text("utf-8"))
    assert manifest["origin"].startswith("file:") and len(manifest["sha256"]) == 64
    assert [(m.source, m.target) for m in list_mt_models(models_dir=models)] == [("zh", "ja")]
    assert [p.name for p in models.iterdir()] == ["zh-ja"]  # no staging leftovers
    with pytest.raises(Conflict):
        install_mt_model(source="zh", target="ja", models_dir=models, archive=model_dir)
    again = install_mt_model(source="zh", target="ja", models_dir=models, archive=model_dir, replace=True)
    assert again.sha256 == installed.sha256
    assert list_mt_models(models_dir=tmp_path / "absent") == []


def test_install_from_zip_and_tar(model_dir: Path, tmp_path: Path) -> None:
    models = tmp_path / "mt-models"
    install_mt_model(source="zh", target="ja", models_dir=models,
                     archive=_zip(model_dir, tmp_path / "m.zip", prefix="opus-zh-ja/"))
    tar_path = tmp_path / "m.tar.gz"
    with tarfile.open(tar_path, "w:gz") as archive:
        archive.add(model_dir, arcname="ja-zh")
    install_mt_model(source="ja", target="zh", models_dir=models, archive=tar_path)
    assert [(m.source, m.target) for m in list_mt_models(models_dir=models)] == [("ja", "zh"), ("zh", "ja")]


def test_install_argos_package_checks_pair(model_dir: Path, tmp_path: Path) -> None:
    models = tmp_path / "mt-models"
    package = _argos(model_dir, tmp_path / "zh_ja.argosmodel", "zh", "ja")
    with pytest.raises(ValidationFailed, match="translates zh -> ja, not zh -> en"):
        install_mt_model(source="zh", target="en", models_dir=models, archive=package)
    assert list_mt_models(models_dir=models) == []
    installed = install_mt_model(source="zh", target="ja", models_dir=models, archive=package)
    assert (installed.path / "argos-metadata.json").is_file()


def test_refuses_traversal_symlinks_oversize_and_garbage(model_dir: Path, tmp_path: Path) -> None:
    models = tmp_path / "mt-models"
    evil = _zip(model_dir, tmp_path / "evil.zip")
    with zipfile.ZipFile(evil, "a") as archive:
        archive.writestr("../../escaped.txt", "x")
    with pytest.raises(ValidationFailed, match="escapes"):
        install_mt_model(source="zh", target="ja", models_dir=models, archive=evil)
    assert not (tmp_path / "escaped.txt").exists() and not (models.parent / "escaped.txt").exists()

    link_tar = tmp_path / "link.tar.gz"
    with tarfile.open(link_tar, "w:gz") as archive:
        archive.add(model_dir, arcname="m")
        info = tarfile.TarInfo("m/passwd")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(info)
    with pytest.raises(ValidationFailed, match="link"):
        install_mt_model(source="zh", target="ja", models_dir=models, archive=link_tar)

    with pytest.raises(ValidationFailed, match="more than 1000 bytes"):
        install_mt_model(source="zh", target="ja", models_dir=models, archive=_zip(model_dir, tmp_path / "z.zip"),
                         max_unpacked_bytes=1000)
    garbage = tmp_path / "not-a-model.zip"
    with zipfile.ZipFile(garbage, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationFailed, match=r"model\.bin"):
        install_mt_model(source="zh", target="ja", models_dir=models, archive=garbage)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"\0" * 64)
    with pytest.raises(ValidationFailed, match="does not load"):
        install_mt_model(source="zh", target="ja", models_dir=models, archive=broken)
    with pytest.raises(ValidationFailed, match="language code"):
        install_mt_model(source="chinese!", target="ja", models_dir=models, archive=model_dir)
    assert list_mt_models(models_dir=models) == [] and [p.name for p in models.iterdir()] == []


def test_online_without_argostranslate_fails_fast_with_file_hint(tmp_path: Path) -> None:
    if importlib.util.find_spec("argostranslate") is not None:
        pytest.skip("argostranslate is installed; this checks the clear offline error")
    with pytest.raises(ValidationFailed, match="--file PATH"):
        install_mt_model(source="zh", target="ja", models_dir=tmp_path)


def test_fetch_hook_and_its_failures(model_dir: Path, tmp_path: Path) -> None:
    def fetch(source: str, target: str, work: Path) -> Path:
        return _zip(model_dir, work / f"{source}-{target}.zip")

    installed = install_mt_model(source="zh", target="ja", models_dir=tmp_path / "m", fetch=fetch)
    assert installed.origin == "download:zh-ja.zip"

    def offline(source: str, target: str, work: Path) -> Path:
        raise OSError("network unreachable")

    with pytest.raises(ValidationFailed, match=r"network unreachable.*--file PATH"):
        install_mt_model(source="en", target="ja", models_dir=tmp_path / "m", fetch=offline)

    def slow(source: str, target: str, work: Path) -> Path:
        import time

        time.sleep(2)
        return work

    with pytest.raises(ValidationFailed, match="longer than"):
        install_mt_model(source="en", target="de", models_dir=tmp_path / "m", fetch=slow, fetch_timeout=0.2)


def test_provider_finds_installed_models(model_dir: Path, tmp_path: Path) -> None:
    models = tmp_path / "mt-models"
    with pytest.raises(Exception, match="xborder mt install"):
        load_provider(MtSettings(provider="ctranslate2"), models_dir=models)
    install_mt_model(source="zh", target="ja", models_dir=models, archive=model_dir)
    provider = load_provider(MtSettings(provider="ctranslate2"), models_dir=models)
    assert provider is not None
    response = provider.translate(TranslationRequest(("节能 电水壶",), "zh-CN", "ja-JP"))
    assert len(response.texts) == 1 and response.texts[0].strip()
    with pytest.raises(UnsupportedLanguagePair, match="installed: zh -> ja"):
        provider.translate(TranslationRequest(("x",), "zh", "ar"))


def test_cli_install_and_list(model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xborder.cli import context
    from xborder.cli.l10n import mt_app

    monkeypatch.setenv("XBORDER_DATA_DIR", str(tmp_path))
    context.get_settings.cache_clear()
    try:
        runner = CliRunner()
        result = runner.invoke(mt_app, ["install", "zh", "ja", "--file", str(model_dir)])
        assert result.exit_code == 0, result.output
        assert "installed zh -> ja" in result.stdout
        result = runner.invoke(mt_app, ["install", "zh", "en", "--file", str(_argos(
            model_dir, tmp_path / "p.argosmodel", "zh", "ja"))])
        assert result.exit_code == 2 and "not zh -> en" in result.output
        listed = runner.invoke(mt_app, ["list", "--json"])
        assert [m["target"] for m in json.loads(listed.stdout)] == ["ja"]
        assert (tmp_path / "mt-models" / "zh-ja" / "model.bin").is_file()
    finally:
        context.get_settings.cache_clear()

