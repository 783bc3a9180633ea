"""`Targets.md`: the companies you want to work for, whom you know at each and the warm
path in (see `notesync.targets`)."""

from __future__ import annotations

from collections.abc import Callable

from ..links import company_key
from ..owner import front_matter
from ..people import People
from ..stats import PersonStats
from ..targets import Target, reach, target_names
from .context import Context
from .markdown import cell, plural, table, text
from .pages import link_to

SOURCES = {"linkedin": "LinkedIn", "vcard": "address book", "google": "Google Contacts"}


def targets_inputs(ctx: Context) -> tuple[People, tuple[PersonStats, ...], tuple[str, ...]]:
    """Everyone's figures (imported connections included) and the target companies: the
    `targets` setting, then company notes with `target: true`."""
    names = target_names(ctx.config.targets, ctx.people.targets)
    if not names:  # the page says how to name them, and reads no one (nor digests them)
        return ctx.people, (), names
    stats = tuple(p.person for p in ctx.parts.values() if p.person is not None)
    return ctx.people, stats, names


def target_keys(ctx: Context) -> tuple[str, ...]:
    """The people who work at a target company (the map marks them), in key order: a set's
    order would follow the process's hash seed, and so would the map's memo key."""
    wanted = {company_key(t) for t in target_names(ctx.config.targets, ctx.people.targets)}
    if not wanted:
        return ()
    return tuple(
        p.person.key
        for p in ctx.parts.values()
        if p.person is not None and p.person.company and company_key(p.person.company) in wanted
    )


def source_name(source: str) -> str:
    return SOURCES.get(source.casefold(), source)


def render_targets(people: People, stats: tuple[PersonStats, ...], names: tuple[str, ...]) -> str:
    net = people.net
    notes = {s.name: s.note for s in stats}

    def show(name: str) -> str:
        return text(name) if name == net.me.name else link_to(name, notes.get(name))

    def show_path(path: tuple[str, ...]) -> str:
        return " → ".join(show(n) for n in path)

    out = [front_matter(), "# Targets\n\n"]
    if not names:
        out.append(
            "No target companies yet. Name the companies you want to work for in `.notesync.toml` "
            '(`targets = ["Contoso", "Fabrikam"]`), or add `target: true` to a company\'s note, '
            "and this page shows whom you know at each and the warm path in.\n"
        )
        return "".join(out)
    found = reach(people, stats, names)
    warm = sum(1 for t in found if t.path is not None)
    out.append(
        f"{plural(len(found), 'target company', 'target companies')}: "
        f"{warm} with a warm path, {len(found) - warm} with none yet. "
        "A path goes from you through the people who referred you; "
        "an imported connection is one step from you.\n"
    )
    for t in found:
        out.append(f"\n## {text(t.company)}\n\n")
        out.append(_section(t, show_path))
    return "".join(out)


def _section(t: Target, show_path: Callable[[tuple[str, ...]], str]) -> str:
    if t.path is None:
        return f"**No path yet.** {text(t.suggestion)}\n"
    out = [f"- **Warm path**: {show_path(t.path)}\n", f"- **Next step**: {text(t.suggestion)}\n"]
    for path in t.via:
        out.append(f"- **Also through**: {show_path(path)}\n")
    rows = [
        [
            link_to(k.name, k.note, table=True),
            cell(k.role),
            cell(k.status),
            k.last_contact,
            cell(f"imported from {source_name(k.source)}" if k.source else "your notes"),
        ]
        for k in t.known
    ]
    out.append(f"\n{plural(len(t.known), 'person', 'people')} you know there:\n\n")
    out.append(table(["Person", "Role", "Status", "Last contact", "Known from"], rows))
    return "".join(out)
