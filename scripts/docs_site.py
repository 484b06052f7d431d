#!/usr/bin/python3
"""Builds the documentation site: README + docs/ + the docs generated from ODS.

    docs_site.py --source ROOT --generated BUILD/docs --out BUILD/docs-site

1. Stages one Markdown tree in OUT/src: README.md becomes index.md, docs/*.md
   stay as they are, the mlir-tblgen output (BUILD/docs/**.md: the dialect's
   ops, the passes) goes under reference/, and every other repository file a
   page links to (examples, benchmark results) is copied at its own path.
   Relative links are rewritten to the staged paths; nothing is edited by
   hand, so op and pass semantics exist once, in ODS.
2. Writes OUT/mkdocs.yml from ROOT/mkdocs.yml: its nav, plus the generated
   reference pages and any docs/*.md the nav does not list yet.
3. Runs `mkdocs build --strict` (a warning, e.g. a link to a missing page,
   is an error) into OUT/html.
4. Checks every relative href/src of every HTML page: the file exists and,
   for `page.html#anchor`, the anchor is an id on that page (mkdocs 1.4 does
   not check anchors).

Exits non-zero, listing what is wrong, on a warning or a broken link.
"""

import argparse
import html.parser
import os
import pathlib
import posixpath
import re
import shutil
import subprocess
import sys
import urllib.parse

import yaml

LINK = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)(\))")
FENCE = re.compile(r"^\s*(```|~~~)")


def is_external(target):
    return bool(urllib.parse.urlsplit(target).scheme) or target.startswith(("#", "/"))


class Stager:
    """Maps repository files to site paths and copies them, rewriting links."""

    def __init__(self, root, generated, src):
        self.root, self.generated, self.src = root, generated, src
        self.problems = []
        self.assets = set()

    def site_path(self, path):
        """The staged path (relative to src) of an absolute repository path."""
        path = path.resolve()
        if path == (self.root / "README.md").resolve():
            return pathlib.PurePosixPath("index.md")
        for base, prefix in ((self.generated, "reference"), (self.root / "docs", "")):
            try:
                rel = path.relative_to(base.resolve())
                return pathlib.PurePosixPath(prefix, rel.as_posix())
            except ValueError:
                pass
        return pathlib.PurePosixPath(path.relative_to(self.root.resolve()).as_posix())

    def rewrite(self, text, source):
        """Rewrites the relative links of `source` (a repository file)."""
        here = self.site_path(source)
        out, fenced = [], False
        for line in text.splitlines(keepends=True):
            if FENCE.match(line):
                fenced = not fenced
            if not fenced:
                line = LINK.sub(lambda m: m.group(1) + self.link(m.group(2), source, here)
                                + m.group(3), line)
            out.append(line)
        return "".join(out)

    def link(self, target, source, here):
        if is_external(target):
            return target
        path, _, anchor = target.partition("#")
        where = source.relative_to(self.root) if source.is_relative_to(self.root) else source
        resolved = (source.parent / urllib.parse.unquote(path)).resolve()
        try:
            resolved.relative_to(self.root.resolve())
        except ValueError:
            self.problems.append(f"{where}: link '{target}' leaves the repository")
            return target
        if not resolved.exists():
            self.problems.append(f"{where}: link '{target}' names a missing file")
            return target
        staged = self.site_path(resolved)
        if resolved.suffix != ".md" and resolved.is_file():
            self.assets.add((resolved, staged))
        new = posixpath.relpath(str(staged), str(here.parent))
        return new + ("#" + anchor if anchor else "")

    def page(self, source, title=None):
        text = source.read_text()
        if title and not re.search(r"^# ", text, re.M):
            text = f"# {title}\n\n{text}"
        dest = self.src / self.site_path(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(self.rewrite(text, source))
        return self.site_path(source)

    def copy_assets(self):
        for source, staged in sorted(self.assets):
            dest = self.src / staged
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)


def title_of(path):
    for line in path.read_text().splitlines():
        if line.startswith("# "):
            return line[2:].strip().replace("`", "")
    return path.stem


def nav_pages(nav):
    for entry in nav:
        for value in entry.values() if isinstance(entry, dict) else [entry]:
            if isinstance(value, list):
                yield from nav_pages(value)
            else:
                yield value


class Anchors(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.links.append(value)


def check_links(site):
    pages = {}
    for page in site.rglob("*.html"):
        parser = Anchors()
        parser.feed(page.read_text(errors="replace"))
        pages[page.resolve()] = parser
    broken = []
    for page, parser in sorted(pages.items()):
        for link in parser.links:
            parts = urllib.parse.urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("/"):
                continue
            target = (page.parent / urllib.parse.unquote(parts.path)).resolve() \
                if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            where = page.relative_to(site.resolve())
            if not target.exists():
                broken.append(f"{where}: '{link}': no such file")
            elif parts.fragment and target.suffix == ".html" and \
                    parts.fragment not in pages[target].ids:
                broken.append(f"{where}: '{link}': no anchor '{parts.fragment}'")
    return len(pages), broken


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=pathlib.Path)
    parser.add_argument("--generated", required=True, type=pathlib.Path)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--mkdocs", default="mkdocs")
    args = parser.parse_args()
    root, generated, out = args.source.resolve(), args.generated.resolve(), args.out.resolve()
    src, site = out / "src", out / "html"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)

    generated_docs = sorted(generated.rglob("*.md"))
    if not generated_docs:
        sys.exit(f"docs_site: no generated docs in {generated} (build the "
                 "inhibitor-doc target first)")

    stager = Stager(root, generated, src)
    stager.page(root / "README.md")
    for doc in sorted((root / "docs").glob("*.md")):
        stager.page(doc)
    reference = []
    for doc in generated_docs:
        # Pass docs have no title: Passes/InhibitorTransformPasses.md gets
        # "Inhibitor Transform Passes".
        title = " ".join(re.findall(r"[A-Z]+[a-z0-9]*|[a-z0-9]+", doc.stem))
        staged = stager.page(doc, title)
        reference.append({title_of(src / staged): str(staged)})
    stager.copy_assets()
    if stager.problems:
        print("\n".join(stager.problems), file=sys.stderr)
        sys.exit(f"docs_site: {len(stager.problems)} broken link(s) in the Markdown sources")

    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    nav = config.setdefault("nav", [])
    listed = set(nav_pages(nav))
    unlisted = [{title_of(doc): doc.name} for doc in sorted((root / "docs").glob("*.md"))
                if doc.name not in listed]
    if unlisted:
        nav.append({"More": unlisted})
    nav.append({"Reference (generated from ODS)": reference})
    config["docs_dir"] = str(src)
    config["site_dir"] = str(site)
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))

    build = subprocess.run([args.mkdocs, "build", "--strict", "--clean", "-q",
                            "-f", str(out / "mkdocs.yml")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # mkdocs prints "WARNING -" lines; --strict turns them into a failure,
    # but INFO lines about the nav are passed on as well.
    sys.stdout.write(build.stdout)
    if build.returncode != 0 or "WARNING" in build.stdout:
        sys.exit(f"docs_site: mkdocs build --strict failed ({build.returncode})")

    count, broken = check_links(site)
    if broken:
        print("\n".join(broken), file=sys.stderr)
        sys.exit(f"docs_site: {len(broken)} broken link(s) in the HTML site")
    print(f"docs_site: {count} pages, every relative link and anchor resolves: "
          f"{site / 'index.html'}")


if __name__ == "__main__":
    main()
