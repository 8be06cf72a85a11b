"""How long the related-findings page takes to write and to open, with a few thousand nodes.

Synthesises a related graph shaped like the real one (findings in areas, themes,
initiatives, follow-up chains across assessments), writes the page with
:func:`kg.viz.write_viz`, and opens it in headless Debian chromium (Playwright) until
its first frames are drawn. Prints the times; not a test.

    .venv/bin/python bench/bench_viz.py [--nodes 3000] [--out /tmp/bench-viz]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import networkx as nx

from kg import vocab
from kg.viz import write_viz

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ASSESSMENTS = [("2021/22", 2021), ("2023–25", 2023), ("2025–27", 2025)]
STATUSES = list(vocab.FOLLOW_UP_STATUSES)


def synthetic(n_findings: int, seed: int = 1) -> nx.MultiDiGraph:
    """A related graph of ``n_findings`` findings and their areas, themes and initiatives."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    areas = [f"area/{i}" for i in range(max(10, n_findings // 60))]
    themes = [f"theme/{i}" for i in range(max(8, n_findings // 150))]
    initiatives = [f"initiative/{i}" for i in range(max(10, n_findings // 25))]
    for a in areas:
        g.add_node(a, kind="area", label=f"Area {a.split('/')[1]}")
    for t in themes:
        g.add_node(t, kind="theme", label=f"Theme {t.split('/')[1]}")
    for i in initiatives:
        g.add_node(i, kind="initiative", label=f"Operation {i.split('/')[1]}")
    by_assessment: dict[int, list[str]] = {}
    for k in range(n_findings):
        label, year = rng.choice(ASSESSMENTS)
        node = f"finding/{k}"
        theme = rng.choice(themes)
        g.add_node(
            node,
            kind="finding",
            type=rng.choice(list(vocab.FINDING_TYPES)),
            label=f"The force should improve thing number {k} of its work",
            headline=f"The force should improve thing number {k} of its work",
            assessment=label,
            year=year,
            force=f"Force {k % 20}",
            area=f"Area {k % len(areas)}",
            quote=f"The force should improve thing number {k} of its work",
            themes=[g.nodes[theme]["label"]],
        )
        g.add_edge(node, areas[k % len(areas)], kind="in-area")
        g.add_edge(node, theme, kind="shares-theme")
        if rng.random() < 0.3:
            g.add_edge(node, rng.choice(initiatives), kind="mentions-initiative")
        earlier = by_assessment.get(year - 2, [])
        if earlier and rng.random() < 0.4:
            status = rng.choice(STATUSES[:-1])
            g.add_edge(
                node, rng.choice(earlier), kind="follows-up", status=status, method="similarity"
            )
        by_assessment.setdefault(year, []).append(node)
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=3000, help="about how many nodes")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-viz"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    graph = synthetic(int(args.nodes * 0.93))
    start = time.perf_counter()
    outputs = write_viz(graph, args.out / "related.html", title="bench")
    written = time.perf_counter() - start
    size = outputs.page.stat().st_size / 1e6
    print(f"graph: {outputs.nodes} nodes, {outputs.edges} links")
    print(f"write page + image: {written:.1f} s (page {size:.1f} MB)")

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for run in range(args.runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t0 = time.perf_counter()
            page.goto(outputs.page.resolve().as_uri(), wait_until="commit")
            page.wait_for_selector("body[data-ready=true]", timeout=120_000)
            ready = time.perf_counter() - t0
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            drawn = time.perf_counter() - t0
            timing = page.evaluate("({script: window.peelViz.readyAt, frame: performance.now()})")
            print(
                f"run {run + 1}: script done {timing['script'] / 1000:.2f} s after navigation; "
                f"ready seen {ready:.2f} s; first frames drawn {drawn:.2f} s"
            )
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
