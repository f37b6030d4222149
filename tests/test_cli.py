"""The command line: exit codes, messages on stderr, data alone on stdout, help everywhere."""
from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from sitrep.cli import cli
from sitrep.store import Store


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_contract_commands_on_the_seeds(runner, db_path, seeds_manifest):
    result = runner.invoke(cli, ["ingest", "--manifest", str(seeds_manifest), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "5 new, 0 updated, 0 unchanged documents" in result.stderr
    exported = runner.invoke(cli, ["export", "--db", str(db_path), "--format", "jsonl"])
    assert exported.exit_code == 0 and exported.stderr == ""
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    kinds = [r["kind"] for r in records]
    assert kinds.count("document") == 5 and kinds.count("entry") == 15
    paths = {r["path"] for r in records if r["kind"] == "document"}
    assert "001_5f8421b4d32610e6.txt" in paths


def test_cli_batch_goes_on_past_bad_files_and_exits_non_zero(runner, db_path, tmp_path):
    (tmp_path / "good.txt").write_text("Shelling hit the old market on Monday.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "menu.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    manifest = tmp_path / "m.tsv"
    manifest.write_text("path\turl\toutlet\tpublished\n" + "".join(
        f"{name}\t\tWire\t2020-01-01\n" for name in ("empty.txt", "good.txt", "gone.txt", "image.txt", "menu.html")),
        encoding="utf-8")
    result = runner.invoke(cli, ["ingest", "--manifest", str(manifest), "--db", str(db_path)])
    assert result.exit_code == 1
    assert "1 new, 0 updated, 0 unchanged documents" in result.stderr
    assert "4 could not be ingested (nothing of them was stored):" in result.stderr
    for words in ("empty.txt: the file is empty", "gone.txt: no such file", "image.txt: this is a PNG image",
                  "menu.html: no article text left"):
        assert words in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
    with Store(db_path) as store:
        assert [d.path for d in store.documents()] == ["good.txt"]


def test_cli_malformed_manifest_leaves_no_store(runner, db_path, tmp_path):
    manifest = tmp_path / "m.tsv"
    manifest.write_text("file,outlet\na.txt,Wire\n", encoding="utf-8")
    result = runner.invoke(cli, ["ingest", "--manifest", str(manifest), "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {manifest}: the header lacks path, url, outlet, published.")
    assert not db_path.exists()


def test_cli_single_file_options(runner, db_path, tmp_path):
    path = tmp_path / "blog.txt"
    path.write_text("UPDATE 0930 GMT: Aid trucks crossed.\n\nUPDATE 0800 GMT: The crossing opened.",
                    encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(path), "--db", str(db_path), "--outlet", "Desk",
                                 "--url", "https://example.org/live", "--published", "2023-10-21"])
    assert result.exit_code == 0, result.output
    records = [json.loads(x) for x in runner.invoke(cli, ["export", "--db", str(db_path)]).stdout.splitlines()]
    assert records[0]["url"] == "https://example.org/live" and records[0]["outlet"] == "Desk"
    assert [r["time"] for r in records if r["kind"] == "entry"] == ["2023-10-21T08:00:00Z", "2023-10-21T09:30:00Z"]


def test_cli_stdin(runner, db_path):
    result = runner.invoke(cli, ["ingest", "-", "--db", str(db_path), "--outlet", "Desk"],
                           input="Troops entered the town on Sunday, residents said.")
    assert result.exit_code == 0, result.output
    assert "1 new" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["ingest"], "Error: nothing to ingest: give --manifest M.tsv or one or more paths"),
    (["ingest", "a.txt", "--published", "Tuesday"], "'Tuesday' is not a date; write it as"),
])
def test_cli_usage_errors(runner, db_path, args, message):
    result = runner.invoke(cli, [*args, "--db", str(db_path)])
    assert result.exit_code != 0 and message in result.stderr
    assert not db_path.exists()


def test_cli_every_command_has_help():
    for name, command in cli.commands.items():
        for flag in ("--help", "-h"):
            result = CliRunner().invoke(cli, [name, flag])
            assert result.exit_code == 0 and "Example:" in result.output, name
        assert isinstance(command, click.Command) and command.help
