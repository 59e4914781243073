"""Messages that said something else than what was so: a dataset path that is a folder, and a
sample-size sentence that rounded the person's own figures away."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.datasets import Dataset
from internkontroll.errors import DatasetError
from internkontroll.models import DatasetSpec
from internkontroll.swedish import given_percent


def test_a_dataset_path_that_is_a_folder_is_called_a_folder(plan_dir: Path) -> None:
    (plan_dir / "beslut.csv").unlink()
    (plan_dir / "beslut.csv").mkdir()
    validated = CliRunner().invoke(cli, ["validate", str(plan_dir / "plan.toml")])
    assert validated.exit_code == 1
    assert "sökvägen 'beslut.csv' är en mapp; väntade en CSV- eller XLSX-fil" in validated.output
    assert "finns inte" not in validated.output
    dataset = Dataset("beslut", DatasetSpec(path="beslut.csv"), plan_dir / "beslut.csv")
    with pytest.raises(DatasetError, match=r"beslut\.csv är en mapp; väntade en CSV- eller XLSX"):
        dataset.reader()


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(0.05, "5"), (0.0001, "0,01"), (0.9999, "99,99"), (0.95, "95"), (0.125, "12,5")],
)
def test_a_given_rate_is_shown_as_given(rate: float, shown: str) -> None:
    assert given_percent(rate) == shown


def test_sample_size_names_the_tolerable_rate_it_was_given() -> None:
    result = CliRunner().invoke(
        cli, ["sample", "size", "--confidence", "0.9999", "--tolerable", "0.0001"]
    )
    assert result.exit_code == 0, result.output
    assert "med 99,99 procents säkerhet" in result.output
    assert "avvikelsefrekvensen är under 0,01 procent" in result.output
