"""The `notesync` command: thin wrappers that parse options, call the library, print.

Library errors (`NotesyncError`) become `ClickException`s; nothing below this module
prints or knows about click.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, report
from .diagnostics import printable
from .errors import NotesyncError
from .limits import MAX_DAYS, MAX_DEBOUNCE_MS
from .model import STATUSES
from .report import show

if TYPE_CHECKING:
    from .import_people import ImportReport


def _vault(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Path:
    """The vault given, else the one holding the current folder (the nearest folder up with
    `.obsidian/` or `.notesync.toml`, as git finds its repository), else the current folder.
    An empty one (`"$VAULT"` unset, say) is refused: it is not the current folder."""
    from .obsidian import vault_here

    if value == "":
        raise click.BadParameter("is empty: give the vault's folder, or none for the vault you are in")
    if value is not None:
        return Path(value)
    try:
        return vault_here()
    except OSError as exc:  # (the current folder deleted, say)
        raise click.ClickException(report.error(exc)) from exc


VAULT = click.argument("vault", required=False, callback=_vault, type=click.Path(file_okay=False))


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """A day as YYYY-MM-DD (see `limits.parse_day`)."""
    from .limits import parse_day

    try:
        return None if value is None else parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


TODAY = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    callback=_day,
    help="Treat this date (YYYY-MM-DD) as today, for tests and planning.",
)


NO_CACHE = click.option(
    "--no-cache", is_flag=True, help="Read every note again, whatever notesync kept from earlier runs."
)
WAIT = click.option(
    "--wait",
    type=click.FloatRange(min=0, max=3600),
    default=10,
    show_default=True,
    help="Seconds to wait for another notesync working on the vault.",
)


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except (NotesyncError, OSError) as exc:
        raise click.ClickException(report.error(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="notesync")
def main() -> None:
    """Turn networking notes into live follow-up pages in your Obsidian vault."""


@main.command()
@VAULT
@TODAY
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if any page would change.")
@click.option("--strict", is_flag=True, help="Exit 1 if there is any diagnostic.")
@click.option(
    "--force", is_flag=True, help="Also replace files in the output folder that notesync did not create."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@NO_CACHE
@WAIT
def sync(
    vault: Path,
    today: date | None,
    dry_run: bool,
    check_only: bool,
    strict: bool,
    force: bool,
    as_json: bool,
    no_cache: bool,
    wait: float,
) -> None:
    """Read the vault once and bring its pages up to date."""
    from .pipeline import sync as run_sync

    with _errors():
        result = run_sync(
            vault,
            today=today,
            dry_run=dry_run or check_only,
            force=force,
            progress=report.reading(),
            use_cache=not no_cache,
            wait=wait,
        )
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        show(report.sync(result))
    if check_only and result.written:
        sys.exit(1)
    if report.sync_failed(result):
        sys.exit(1)
    if strict and result.diagnostics:
        sys.exit(1)


@main.command()
@VAULT
@TODAY
@click.option(
    "--upcoming",
    type=click.IntRange(min=0, max=MAX_DAYS),
    default=0,
    help="Also list what falls due within N days.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of follow-ups.")
def followups(vault: Path, today: date | None, upcoming: int, as_json: bool) -> None:
    """List what you owe whom: overdue and due today (and upcoming with --upcoming)."""
    from .pipeline import analyse

    with _errors():
        analysis = analyse(vault, today=today)
    items = analysis.due(upcoming)
    if as_json:
        rows = [i.to_dict(analysis.today, short) for short, i in items]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo(
            "Nothing is overdue or due today."
            if not upcoming
            else f"Nothing is due in the next {upcoming} days."
        )
        return
    colour = report.on_terminal(sys.stdout)
    for short, item in items:
        days = item.days_overdue(analysis.today)
        when = f"{days}d overdue" if days > 0 else ("today" if days == 0 else f"in {-days}d")
        head = (
            click.style(f"{item.due.isoformat()}  {when:>12}", fg="red" if days > 0 else None)
            if colour
            else f"{item.due.isoformat()}  {when:>12}"
        )
        what = printable(f"{item.person}: {item.text}  ({item.source}:{item.line})")  # one line each
        click.echo(f"{short}  {head}  {item.kind:<16} {what}")


@main.command()
@VAULT
@TODAY
@click.option(
    "--explain",
    "explain",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Say why this note counts as a person, a conversation or neither, and what was read of it.",
)
def check(vault: Path, today: date | None, explain: tuple[Path, ...]) -> None:
    """Report every problem in the notes as path:line: code: message; exit 1 if any."""
    from .explain import explain_note
    from .pipeline import analyse

    if explain:
        with _errors():
            for path in explain:
                for line in explain_note(vault, path):
                    click.echo(printable(line))
        return
    with _errors():
        analysis = analyse(vault, today=today)
    for d in analysis.diagnostics:
        click.echo(str(d))
    show(report.hints(analysis.hints))
    errors = sum(1 for d in analysis.diagnostics if d.severity == "error")
    warnings = len(analysis.diagnostics) - errors
    click.echo(f"{analysis.notes_read} notes checked: {errors} errors, {warnings} warnings", err=True)
    if analysis.diagnostics:
        sys.exit(1)


@main.command()
@VAULT
@TODAY
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "canvas", "json", "graphml", "gexf"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of standard output.",
)
def graph(vault: Path, today: date | None, fmt: str, output: Path | None) -> None:
    """Export the referral graph (networkx node-link JSON, GraphML, GEXF, Mermaid, Canvas)."""
    from .export import export, write_export
    from .pipeline import analyse

    with _errors():
        text = export(analyse(vault, today=today), fmt)
        if output is not None:
            write_export(output, text)
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {output}", err=True)


@main.command()
@VAULT
@click.option(
    "--polling", is_flag=True, help="Poll the disk instead of OS events (network drives, containers)."
)
@click.option(
    "--debounce",
    type=click.IntRange(min=0, max=MAX_DEBOUNCE_MS),
    default=None,
    help="Quiet period in milliseconds before a sync (default: watch.debounce_ms, 30).",
)
def watch(vault: Path, polling: bool, debounce: int | None) -> None:
    """Sync, then keep the pages up to date as notes change, until Ctrl-C."""
    import signal

    gc.enable()  # a long run needs it (`__main__` turns it off for one-off commands)

    from .watch import Pass, Stopped, Watcher

    def said(p: Pass) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        ms = f"{p.seconds * 1000:.0f} ms"
        if p.error is not None:
            click.secho(f"{stamp} sync failed ({p.error}); still watching", err=True, fg="red")
            return
        assert p.result is not None
        failed = [d for d in p.result.diagnostics if d.code in report.WRITE_FAILURES and d not in p.new]
        show(report.diagnostics([*p.new, *failed]))
        if p.reason == "start":
            click.echo(f"{stamp} {p.result.text()} ({ms}); watching {vault} (Ctrl-C to stop)")
            return
        pages = ", ".join(c.page.rsplit("/", 1)[-1] for c in p.result.written) or "no page changed"
        click.echo(f"{stamp} {p.cause()} -> {pages} ({ms})")
        show(report.recorded(p.result))  # the boxes ticked on Follow-ups.md: recorded, refused or dropped
        show(report.changes(p.result))

    watcher = Watcher(vault, said, polling=polling, debounce=None if debounce is None else debounce / 1000)

    def stop(_signum: int, _frame: object) -> None:
        watcher.stop.set()
        if watcher.in_pass:
            raise Stopped  # leave the pass now: its writes are atomic and its store rolls back

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with _errors():
        watcher.run()
    click.echo("stopped", err=True)


INTO_VAULT = click.option(
    "--vault",
    type=click.Path(file_okay=False),
    callback=_vault,
    help="The vault (default: the one holding the current folder).",
)


@main.command()
@click.argument("kind", type=click.Choice(["interview", "contact"]))
@click.argument("name")
@INTO_VAULT
@click.option("--referrer", help="Who suggested this person; written into the note as a [[link]].")
@click.option(
    "--date",
    "day",
    metavar="YYYY-MM-DD",
    callback=_day,
    help="Interview notes: the day of the conversation or request, YYYY-MM-DD (default: today).",
)
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    help="Interview notes: the status to start with (default: planned).",
)
def new(
    kind: str, name: str, vault: Path, referrer: str | None, day: date | None, status: str | None
) -> None:
    """Start an interview or contact note from notesync's template; print its path.

    An interview note is named "YYYY-MM-DD NAME" (a second one that day "YYYY-MM-DD NAME 2")
    in the folder that holds most of your conversations (or notes_folder, when set); a contact
    note "NAME", in the folder that holds most of your contact notes. An existing note is
    never replaced.
    """
    from .new import new_note

    with _errors():
        path = new_note(vault, kind, name, referrer=referrer, date=day, status=status)
    click.echo(path.relative_to(vault.expanduser()).as_posix())


@main.command()
@VAULT
def init(vault: Path) -> None:
    """Write a commented .notesync.toml, install the templates, declare the property types.

    Safe to run again: a file you have changed is kept and reported, never overwritten.
    """
    from .init import init_vault

    with _errors():
        steps = init_vault(vault)
    for step in steps:
        line = f"{step.action:<9} {step.path}" + (f" ({step.detail})" if step.detail else "")
        click.echo(line, err=step.action == "skipped")
    if any(step.action == "skipped" for step in steps):
        sys.exit(1)


@main.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@INTO_VAULT
@click.option(
    "--date",
    "day",
    metavar="YYYY-MM-DD",
    callback=_day,
    help="The day it was done, YYYY-MM-DD (default: today).",
)
@click.option(
    "--undo",
    is_flag=True,
    help="Take back what recording these items changed, newest first, each if its note is as left.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be recorded (or taken back); change nothing.")
@TODAY
@WAIT
def done(
    ids: tuple[str, ...],
    vault: Path,
    day: date | None,
    undo: bool,
    dry_run: bool,
    today: date | None,
    wait: float,
) -> None:
    """Record follow-ups as done in the notes they come from (the IDs `followups` shows),
    as ticking them on Follow-ups.md does; then bring the pages up to date."""
    from .pipeline import done as record_done
    from .pipeline import undo as take_back

    refused: list[str] = []
    with _errors():
        if undo:
            taken, refused, result = take_back(vault, ids, today=today, dry_run=dry_run, wait=wait)
            for what in taken:
                click.echo(what)
        else:
            result = record_done(vault, ids, on=day, today=today, dry_run=dry_run, wait=wait)
    show(report.recorded(result, asked=ids))
    if dry_run:  # (the pages as they are: what they would be once it is recorded, no run knows)
        click.echo("dry run: nothing recorded, no page written")
    else:
        show(report.changes(result))
        click.echo(result.text())
    for why in refused:  # (as a ClickException says it)
        click.echo(f"Error: {report.error(NotesyncError(why))}", err=True)
    if any(r.refusal for r in result.recorded) or result.dropped or refused:
        sys.exit(1)


@main.command()
@click.argument("kind", type=click.Choice(["thank-you", "referrer-update", "follow-up", "outreach"]))
@click.argument("name")
@INTO_VAULT
@TODAY
def draft(kind: str, name: str, vault: Path, today: date | None) -> None:
    """Print a thank-you, referrer update, follow-up or outreach message drafted from your notes.

    NAME is the person you spoke with (or asked); for a referrer update, also the referrer
    Follow-ups.md says to tell. The message names them, the referrer, the date, and the
    action items still open from the conversation.
    """
    from .draft import draft_message

    with _errors():
        message = draft_message(vault, kind, name, today=today)
    click.echo(message.text, nl=False)
    origin = f"from {message.source}, " if message.source else ""
    click.echo(f"({origin}with the template {message.template})", err=True)


@main.command("import")
@click.argument("source", type=click.Choice(["linkedin", "vcard", "google"]))
@click.argument("export", metavar="FILE", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@INTO_VAULT
@click.option(
    "--dry-run", is_flag=True, help="Say who would get a note, who is known, who is skipped; write nothing."
)
@click.option(
    "--update",
    is_flag=True,
    help="Record a new company or role the export knows in the person's contact note.",
)
@TODAY
@WAIT
def import_(
    source: str, export: Path, vault: Path, dry_run: bool, update: bool, today: date | None, wait: float
) -> None:
    """A contact note for each person in a LinkedIn, vCard or Google Contacts export whom
    the vault does not know yet; then bring the pages up to date.

    LinkedIn: Settings > Data privacy > Get a copy of your data > Connections gives
    Connections.csv. People already in the vault (matched by LinkedIn profile, email, then
    name or alias) get no note, and a note you delete after an import is not made again.
    """
    from .import_people import import_people

    with _errors():
        imported = import_people(
            vault,
            source,
            export,
            dry_run=dry_run,
            update=update,
            today=today,
            progress=_creating(),
            wait=wait,
        )
    show(report.diagnostics(imported.problems))
    _print_import(imported)
    if imported.synced is not None:
        show(report.changes(imported.synced))
        click.echo(imported.synced.text())


def _creating() -> Callable[[int, int], None] | None:
    """Progress of a large import on a terminal."""
    if not report.on_terminal(sys.stderr):
        return None

    def show(done: int, total: int) -> None:
        if total >= 200 and (done % 50 == 0 or done == total):
            click.echo(f"\rcreating contact notes {done}/{total}", err=True, nl=done == total)

    return show


def _print_import(imported: ImportReport) -> None:
    """Who got a note, who the vault knew, who was skipped and why (a long list is cut)."""
    from .import_people import updatable
    from .matching import what_matched
    from .words import plural

    plan, verb = imported.plan, "would create" if imported.dry_run else "created"

    def some(lines: list[str]) -> None:
        """All of them on a dry run; else the first 20."""
        most = len(lines) if imported.dry_run else 20
        for line in lines[:most]:
            click.echo(line)
        if len(lines) > most:
            click.echo(f"  … and {len(lines) - most} more")

    some(
        [
            f"{verb} {path}" + ("" if printable(name) in path else f" ({printable(name)})")
            for path, name in imported.created
        ]
    )
    for path, why in imported.failed:
        click.echo(f"not created: {path}: {printable(why)}", err=True)
    if imported.dry_run:
        for m in plan.matched:
            click.echo(
                f"known: {printable(m.person.name)} is {printable(m.known.name)} (same {what_matched(m.by)})"
            )
    skipped = [
        f"skipped: {printable(s.person.name) or '(no name)'} (line {s.person.line}): {printable(s.detail)}"
        for s in plan.skipped
    ]
    some(skipped)
    for u in imported.updates:
        fields = ", ".join(f"{k}: {printable(v)}" for k, v in u.fields)
        if u.refused is not None:
            click.echo(f"not updated: {u.path}: {printable(u.refused)}", err=True)
        else:
            click.echo(f"{'would record' if imported.dry_run else 'recorded'} {fields} in {u.path}")
    more = sum(1 for m in plan.matched if updatable(m))
    tail = (
        f"; the export knows more of {more} of them than their notes say (--update records it)"
        if more and not imported.updates
        else ""
    )
    click.echo(
        f"{verb} {plural(len(imported.created), 'contact note')} "
        f"in {imported.folder or 'the top of the vault'}; "
        f"{len(plan.matched)} already in the vault, {len(plan.skipped)} skipped{tail}"
    )


@main.command()
@VAULT
@TODAY
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per target company.")
@click.option(
    "--add",
    "add",
    multiple=True,
    metavar="COMPANY",
    help="Add a target company to .notesync.toml first (repeat for several).",
)
def targets(vault: Path, today: date | None, as_json: bool, add: tuple[str, ...]) -> None:
    """The warm path into each company you want to work for: whom you know there and whom
    to ask. Targets come from `targets` in .notesync.toml and company notes with `target: true`."""
    from .config import add_targets
    from .pipeline import analyse
    from .render.targets import targets_inputs
    from .targets import reach

    with _errors():
        if add:
            add_targets(vault, list(add))
        found = reach(*targets_inputs(analyse(vault, today=today).context()))
    if as_json:
        click.echo(json.dumps([t.to_dict() for t in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo('No target companies yet: notesync targets --add "Contoso" names one.')
        return
    for t in found:
        click.echo(click.style(printable(t.company), bold=report.on_terminal(sys.stdout)))
        if t.path is not None:
            click.echo("  path: " + " -> ".join(printable(n) for n in t.path))
            known = ", ".join(f"{printable(k.name)} ({k.status})" for k in t.known)
            click.echo(f"  you know: {known}")
        click.echo(f"  next: {printable(t.suggestion)}")
        for via in t.via:
            click.echo("  also through: " + " -> ".join(printable(n) for n in via))


def run(argv: list[str] | None = None) -> int:
    """Entry point that returns an exit code instead of exiting."""
    try:
        code = main.main(args=argv, prog_name="notesync", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        return 130
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return code if isinstance(code, int) else 0  # click returns the code of `--help` and the like
