"""Markdown carries what people wrote as text: ``**`` and ``<script>`` from bedomning.toml are
escaped, as the HTML output escapes them, and read back as the same words."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.document import Document, Table
from internkontroll.formats.text import Markdown

WRITTEN = "**Viktigt:** se <script>alert(1)</script> och [länk](http://x) ~~nej~~ `kod` a|b"


def unescaped(markdown: str) -> str:
    """What a CommonMark reader shows for backslash-escaped punctuation."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def test_a_persons_markup_is_escaped_in_markdown(plan_dir: Path) -> None:
    out = plan_dir / "res"
    assert (
        CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out)]).exit_code
        == 0
    )
    path = out / "bedomning.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('analysis = ""', f'analysis = "{WRITTEN}"', 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    markdown = result.stdout
    for markup in ("<script>", "**Viktigt", "](http", "~~nej", "`kod"):
        assert not re.search(r"(?<!\\)" + re.escape(markup), markdown), markup
    assert r"\*\*Viktigt:\*\* se \<script>alert(1)\</script>" in markdown
    assert unescaped(WRITTEN.replace("|", r"\|")).replace(r"\|", "|") in unescaped(markdown)


def test_file_names_and_plain_words_are_left_as_written() -> None:
    table = Table("t", "Underlag", ["Fil"], [["K1_ivo_rapportering.csv 3 < 4"]], [10])
    rendered = Markdown().render(Document("Rapport", [table])).decode("utf-8")
    assert "K1_ivo_rapportering.csv 3 \\< 4" in rendered
