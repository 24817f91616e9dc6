"""The HTML report in a real browser: headless Chromium draws its charts and tables.

Chromium (Debian's `chromium`) renders the report offline; the DOM it built must hold the
charts (SVG with non-empty bars, lines and rings) and the tables (rows with text), and its
screenshot must be a real picture, not a blank page. `.ci/run` installs Chromium; the test
skips only where it is missing and CI is not set.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.records import Record, ScanResult, Status
from collector.reporting.render import render_report
from collector.reporting.report import build_report
from collector.store import Store, make_engine, upgrade

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",  # the tests run as root in CI containers
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--mute-audio",
)
WIDTH, HEIGHT = 1280, 1800


def chromium() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    reason = "Chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser test must not skip)", pytrace=False)
    pytest.skip(reason)


def record(n: int, rtype: str, account: str, region: str, digest: str, **tags: str) -> Record:
    kind = rtype.rsplit("::", 1)[1].lower()
    ident = f"{kind}-{n}"
    return Record(
        arn=f"arn:aws:ec2:{region}:{account}:{kind}/{ident}",
        account_id=account,
        region=region,
        scope_region=region,
        service=rtype.split("::")[1].lower(),
        resource_type=rtype,
        resource_id=ident,
        name=f"name-{ident}",
        tags=dict(tags),
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
        raw={"Id": ident, "v": digest, "State": {"Name": "running"}},
        digest=digest,
    )


TYPES = ("AWS::EC2::Instance", "AWS::EC2::Volume", "AWS::EC2::SecurityGroup", "AWS::S3::Bucket")


def inventory(run: int) -> list[Record]:
    """Three runs of a small two-account inventory that grows, changes and loses things."""
    out: list[Record] = []
    for a, account in enumerate(("111111111111", "222222222222")):
        for t, rtype in enumerate(TYPES):
            for n in range(2 + t + run * (a + 1)):
                if run == 3 and n == 0:
                    continue  # deleted in run 3
                digest = f"d{run}" if n == 1 else "d0"
                tags = {"env": "prod"} if n % 2 == 0 else {"env": "dev", "owner": "team-a"}
                region = "us-east-1" if n % 3 else "eu-west-1"
                out.append(record(n, rtype, account, region, digest, **tags))
    return out


async def collect(engine: AsyncEngine, records: Sequence[Record], errors: bool) -> None:
    store = Store(engine)
    run_id = await store.start_run(config_summary={})
    async with store:
        for r in records:
            await store.put(r)
        for key in sorted({(r.account_id, r.scope_region, r.resource_type) for r in records}):
            await store.put_result(ScanResult(*key, "ec2", Status.OK, item_count=1))
        if errors:
            await store.put_result(
                ScanResult(
                    "222222222222", "ap-south-1", "AWS::EC2::Volume", "ec2", Status.ERROR,
                    error_code="AccessDenied", error_message="not authorized",
                )
            )  # fmt: skip
    await store.reconcile(run_id)
    await store.finish_run(run_id, "partial" if errors else "succeeded")


@pytest.fixture
async def report_html(tmp_path: Path) -> Path:
    url = f"sqlite:///{tmp_path}/inventory.db"
    engine = make_engine(url)
    try:
        await upgrade(engine)
        for run in (1, 2, 3):
            await collect(engine, inventory(run), errors=run == 3)
    finally:
        await engine.dispose()
    data = await build_report(url, required_tags=["env", "owner"])
    path = tmp_path / "report.html"
    path.write_text(render_report(data, "html"), encoding="utf-8")
    return path


class _Dom(HTMLParser):
    """Counts what the browser built: chart marks with real geometry, and table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.svgs: list[str] = []
        self.bars = 0
        self.series = 0
        self.rings = 0
        self.tables: dict[str, int] = {}
        self._table: str | None = None
        self._in_td = False
        self._row_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "svg" and "chart" in classes:
            self.svgs.append(next(c for c in classes if c.startswith("chart-")))
        elif tag == "rect" and "bar" in classes and float(a.get("width") or 0) > 0:
            self.bars += 1
        elif tag == "path" and "series" in classes and "L" in a.get("d", ""):
            self.series += 1
        elif tag == "circle" and "slice" in classes and a.get("stroke-dasharray"):
            self.rings += 1
        elif tag == "table":
            self._table = a.get("id", "")
            self.tables[self._table] = 0
        elif tag == "td":
            self._in_td = True
        elif tag == "tr":
            self._row_text = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_td = False
        elif tag == "tr" and self._table is not None and self._row_text.strip():
            self.tables[self._table] += 1
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._in_td:
            self._row_text += data


def png_rows(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, the filtered scanlines) of an 8-bit PNG, without an imaging library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 4
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + width * channels
    return width, height, [raw[i : i + stride] for i in range(0, len(raw), stride)]


def run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_renders_in_chromium(report_html: Path, tmp_path: Path) -> None:
    browser = chromium()
    url = report_html.as_uri()

    dom_run = run_chromium(browser, tmp_path / "profile-dom", "--dump-dom", url)
    assert dom_run.returncode == 0, dom_run.stderr[-2000:]
    dom = _Dom()
    dom.feed(dom_run.stdout)
    kinds = ["chart-columns", "chart-donut", "chart-hbar", "chart-line", "chart-stacked"]
    assert sorted(set(dom.svgs)) == kinds
    assert len(dom.svgs) >= 8
    assert dom.bars >= 20 and dom.series >= 2 and dom.rings == 1
    tables = (
        "table-accounts", "table-regions", "table-types", "table-changes", "table-tags-by-type",
        "table-noncompliant", "table-errors", "table-health-accounts", "table-runs",
        "table-trend",
    )  # fmt: skip
    for table in tables:
        assert dom.tables.get(table, 0) >= 1, (table, dom.tables)
    assert dom.tables["table-runs"] == 3 and dom.tables["table-trend"] == 3
    assert "AccessDenied" in dom_run.stdout

    shot = tmp_path / "report.png"
    shot_run = run_chromium(
        browser, tmp_path / "profile-shot", f"--window-size={WIDTH},{HEIGHT}",
        f"--screenshot={shot}", url,
    )  # fmt: skip
    assert shot_run.returncode == 0 and shot.is_file(), shot_run.stderr[-2000:]
    width, height, rows = png_rows(shot)
    assert (width, height) == (WIDTH, HEIGHT)
    # A blank page is a few identical scanlines; this one has text, bars and lines all over.
    assert len(set(rows)) > HEIGHT // 4
    assert shot.stat().st_size > 50_000
