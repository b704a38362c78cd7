"""The plugin as installed: found through its entry point, turned off by
LVZHI_DISABLE_PLUGINS, and failing clearly without a Chinese font."""

from __future__ import annotations

import importlib.metadata

import pytest
from conftest import ONLY_THIS_PLUGIN
from lvzhi_pdf import FontMissing, PdfExporter, find_cjk_fonts
from lvzhi_pdf.fonts import choose

import lvzhi
from lvzhi.errors import NotRegistered


def test_entry_point_is_advertised() -> None:
    dist = importlib.metadata.distribution("lvzhi-pdf")
    points = [ep for ep in dist.entry_points if ep.group == "lvzhi"]
    assert [(ep.name, ep.value) for ep in points] == [("pdf", "lvzhi_pdf.plugin")]


def test_discovered_when_installed() -> None:
    with lvzhi.open("memory://", environ=ONLY_THIS_PLUGIN) as office:
        assert "pdf" in office.reports.formats()
        assert "namecards" in office.reports.names()
        assert office.registries.exporters.plugin_of("pdf") == "pdf"
        assert office.registries.reports.plugin_of("namecards") == "pdf"
        assert isinstance(office.registries.exporters.get("pdf"), PdfExporter)


def test_disabled_by_environment() -> None:
    environ = {**ONLY_THIS_PLUGIN, "LVZHI_DISABLE_PLUGINS": "pdf"}
    with lvzhi.open("memory://", environ=environ) as office:
        assert "pdf" not in office.reports.formats()
        assert "namecards" not in office.reports.names()
        with pytest.raises(NotRegistered, match="unknown export format 'pdf'"):
            office.reports.export("roster", "pdf")


def test_finds_a_chinese_font() -> None:
    fonts = find_cjk_fonts()
    assert fonts.sans
    assert fonts.stack().startswith(f'"{fonts.sans}"')


def test_prefers_noto_then_wenquanyi() -> None:
    both = {"WenQuanYi Zen Hei": "/a.ttc", "Noto Sans CJK SC": "/b.ttc", "Noto Serif CJK SC": "/c"}
    assert (choose(both).sans, choose(both).serif) == ("Noto Sans CJK SC", "Noto Serif CJK SC")
    wqy = choose({"WenQuanYi Zen Hei": "/a.ttc"})
    assert (wqy.sans, wqy.serif, wqy.file) == ("WenQuanYi Zen Hei", "WenQuanYi Zen Hei", "/a.ttc")
    other = choose({"Some Song": "/s.ttf"})
    assert other.sans == other.serif == "Some Song"


def test_no_font_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FontMissing, match="apt-get install fonts-noto-cjk"):
        choose({})
    find_cjk_fonts.cache_clear()
    monkeypatch.setenv("PATH", "")  # no fc-list
    try:
        with pytest.raises(FontMissing, match=r"fc-list.*fonts-noto-cjk"):
            find_cjk_fonts()
        opened = lvzhi.open("memory://", environ=ONLY_THIS_PLUGIN)
        with opened as office, pytest.raises(FontMissing):
            office.reports.export("roster", "pdf")
    finally:
        find_cjk_fonts.cache_clear()
