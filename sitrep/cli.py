"""The `sitrep` command: parses options, calls the library, shows progress on stderr."""
from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from . import pipeline
from .errors import SitrepError
from .ingest import DEFAULT_MAX_BYTES
from .report import FORMATS, write_export, write_report
from .report import browse as browsing
from .report.summary import describe_store
from .store import Store, is_postgres_url

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
T = TypeVar("T")
stderr = Console(stderr=True)


def progress_bar(items: Iterable[T], total: int, description: str = "ingesting") -> Iterable[T]:
    """A bar on stderr for people; nothing when stderr is not a terminal."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=stderr, transient=True, disable=not stderr.is_terminal) as bar:
        yield from bar.track(items, total=total, description=description)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.option("-v", "--verbose", count=True, help="-v for progress notes, -vv for debugging.")
def cli(verbose: int) -> None:
    """Turn conflict news reports into a source-attributed record.

    \b
    Example:
        sitrep ingest --manifest articles/manifest.tsv --db sitrep.db
        sitrep export --db sitrep.db --format jsonl > record.jsonl
        sitrep report --db sitrep.db --out report.html
        sitrep browse --db sitrep.db
    """
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


class StoreLocation(click.ParamType):
    """An existing SQLite file, or a postgresql:// URL (checked when the store is opened)."""

    name = "db"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if is_postgres_url(value):
            return value
        return click.Path(exists=True, dir_okay=False).convert(value, param, ctx)


EXISTING_STORE = StoreLocation()
DB_HELP = "SQLite file, or postgresql://user@host:port/dbname."


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD.")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--manifest", type=click.Path(dir_okay=False), help="Tab-separated list: path, url, outlet, published.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), required=True,
              help="SQLite file to write, or postgresql://user@host:port/dbname for a shared store.")
@click.option("--outlet", help="Outlet of the files given as PATHS.")
@click.option("--url", help="URL of the single file given as PATH (identifies a live blog across versions).")
@click.option("--published", callback=_parse_day, help="Publication day of PATHS, YYYY-MM-DD.")
@click.option("--timezone", "zone", help="IANA zone of times given without one, e.g. Asia/Damascus.")
@click.option("--max-mb", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES // (1024 * 1024), show_default=True,
              help="Refuse files larger than this.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes analysing documents on this machine (one writer stores them in order).")
@click.option("--engine", type=click.Choice(pipeline.ENGINES), default="local", show_default=True,
              help="local: this machine (see --jobs); dask: the Dask cluster at --scheduler.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler for --engine dask, e.g. tcp://10.0.0.5:8786.")
def ingest(paths: tuple[str, ...], manifest: str | None, db_path: str, outlet: str | None, url: str | None,
           published: date | None, zone: str | None, max_mb: int, jobs: int, engine: str,
           scheduler: str | None) -> None:
    """Read articles and live blogs and store them in DB.

    PATHS are .txt, .html or .jsonl files, .warc or .warc.gz web archives, folders (read
    recursively), quoted globs ('crawl/**/*.warc.gz') or - for standard input.

    \b
    Example:
        sitrep ingest --manifest seeds/manifest.tsv --db sitrep.db
        sitrep ingest blog.html --outlet "EA WorldView" --published 2016-12-09 --db sitrep.db
        sitrep ingest --manifest big/manifest.tsv --jobs 4 --db postgresql://me@127.0.0.1:5432/sitrep
        sitrep ingest 'crawl/*.warc.gz' --engine dask --scheduler tcp://127.0.0.1:8786 --db sitrep.db
    """
    try:
        summary = pipeline.ingest(db_path, manifest=manifest, paths=paths, outlet=outlet, url=url,
                                  published=published, timezone=zone, max_bytes=max_mb * 1024 * 1024,
                                  jobs=jobs, engine=engine, scheduler=scheduler, progress=progress_bar)
    except SitrepError as e:
        raise click.ClickException(str(e))
    click.echo(summary.describe(), err=True)
    if not summary.ok:
        raise SystemExit(1)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--db", "db_path", type=EXISTING_STORE, required=True, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="jsonl: the export contract; csv: ACLED's columns, one row per event; geojson: events as "
                   "an RFC 7946 FeatureCollection.")
def export(db_path: str, fmt: str) -> None:
    """Write the record in DB to standard output.

    \b
    Example:
        sitrep export --db sitrep.db --format jsonl > record.jsonl
        sitrep export --db sitrep.db --format csv > events.csv
        sitrep export --db sitrep.db --format geojson > events.geojson
    """
    try:
        with Store(db_path) as store:
            write_export(store, sys.stdout, fmt, progress=partial(progress_bar, description="exporting"))
    except SitrepError as e:
        raise click.ClickException(str(e))


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--db", "db_path", type=click.Path(exists=True, dir_okay=False), required=True)
@click.option("--out", type=click.Path(dir_okay=False), required=True,
              help="HTML file to write (replaced if it exists).")
def report(db_path: str, out: str) -> None:
    """Write DB as a situation report: one HTML file that opens offline.

    Headline, timeline, map, contested figures side by side, conflicts, and every event linked to
    the quotes it comes from.

    \b
    Example:
        sitrep report --db sitrep.db --out report.html
    """
    try:
        summary = write_report(db_path, out, progress=partial(progress_bar, description="reporting"))
    except SitrepError as e:
        raise click.ClickException(str(e))
    click.echo(summary.describe(), err=True)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--db", "db_path", type=click.Path(exists=True, dir_okay=False), required=True)
@click.option("--port", type=click.IntRange(1, 65535), default=browsing.DEFAULT_PORT, show_default=True,
              help="Port on 127.0.0.1 to serve on.")
def browse(db_path: str, port: int) -> None:
    """Browse DB in Datasette, on this machine only (127.0.0.1).

    Adds (or refreshes) a full-text index of the documents in DB first. Needs the optional
    extra: pip install 'sitrep[browse]'.

    \b
    Example:
        sitrep browse --db sitrep.db --port 8001
    """
    try:
        setup = browsing.prepare_browse(db_path, port)
        click.echo(setup.describe(), err=True)
        browsing.serve(db_path, port)
    except SitrepError as e:
        raise click.ClickException(str(e))


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--db", "db_path", type=EXISTING_STORE, required=True, help=DB_HELP)
def summary(db_path: str) -> None:
    """Print a readable summary of what DB holds.

    \b
    Example:
        sitrep summary --db sitrep.db
    """
    try:
        with Store(db_path) as store:
            click.echo(describe_store(store))
    except SitrepError as e:
        raise click.ClickException(str(e))
