"""The floors the benchmark measures notesync against, each as one Python process.

    python benchmarks/floors.py stat VAULT   # stat every file of the vault
    python benchmarks/floors.py read VAULT   # read every note and load its front-matter with libyaml

SPEC §6 gives every speed target as a ratio to one of these, timed side by side with
notesync in the same run, so that a noisy machine moves both alike.
"""

from __future__ import annotations

import contextlib
import os
import sys


def stat_walk(root: str) -> int:
    """Stat every file under `root` (hidden folders skipped, as notesync skips them)."""
    count = 0
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as it:
            for entry in it:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    entry.stat(follow_symlinks=False)
                    count += 1
    return count


def read_front_matter(root: str) -> int:
    """Read every note and load its front-matter with libyaml's CSafeLoader."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), "rb") as fh:
                text = fh.read().decode("utf-8", "replace")
            if text.startswith("---\n"):
                end = text.find("\n---", 4)
                if end > 0:
                    with contextlib.suppress(yaml.YAMLError):
                        yaml.load(text[4:end], Loader=loader)
            count += 1
    return count


if __name__ == "__main__":
    kind, vault = sys.argv[1], sys.argv[2]
    print({"stat": stat_walk, "read": read_front_matter}[kind](vault))
