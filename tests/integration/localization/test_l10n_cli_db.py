"""`xborder l10n tm-import / tm-export / glossary-import` against a real database (container patched in)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

import xborder.localization.models  # noqa: F401 - registers the tables before the engine fixture creates them
from xborder.cli import context
from xborder.cli.l10n import app
from xborder.identity.models import Organization

TMX = ('<?xml version="1.0"?><tmx version="1.4"><header srclang="zh-CN" segtype="sentence" o-tmf="x" '
       'adminlang="en" creationtool="t" creationtoolversion="1" datatype="plaintext"/><body><tu>'
       '<tuv xml:lang="zh-CN"><seg>无线耳机</seg></tuv><tuv xml:lang="ja"><seg>ワイヤレスイヤホン</seg></tuv>'
       "</tu></body></tmx>")


def test_tm_and_glossary_commands(session_factory: sessionmaker[Session], session: Session, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    session.add(Organization(name="Shengyue", slug="shengyue", kind="seller"))
    session.commit()
    monkeypatch.setattr(context, "get_container", lambda: SimpleNamespace(session_factory=session_factory))
    runner = CliRunner()
    tmx = tmp_path / "tm.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    result = runner.invoke(app, ["tm-import", "--file", str(tmx), "--org", "shengyue"])
    assert result.exit_code == 0 and "1 created" in result.output, result.output
    out = tmp_path / "out.tmx"
    assert runner.invoke(app, ["tm-export", "--org", "shengyue", "--source", "zh-CN", "-o", str(out)]).exit_code == 0
    assert "ワイヤレスイヤホン" in out.read_text(encoding="utf-8")
    broken = tmp_path / "broken.tmx"
    broken.write_text(TMX.replace("</body>", ""), encoding="utf-8")
    assert runner.invoke(app, ["tm-import", "--file", str(broken), "--org", "shengyue"]).exit_code == 2
    glossary = tmp_path / "g.csv"
    glossary.write_text("term,kind,language,translation\n节能,required,ja,省エネ\n", encoding="utf-8")
    result = runner.invoke(app, ["glossary-import", "--file", str(glossary), "--org", "shengyue"])
    assert result.exit_code == 0 and "1 term" in result.output
