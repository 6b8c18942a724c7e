"""The map page's layout at the sizes its readers use (issue 15): an investor at 1440×900, a
presenter at 1920×1080, a visitor's phone at 390×844.

Before: the park panel was ~330 px wide and its tables scrolled sideways (the source, the
developer's name, the distances, the plots' sector and tenant were cut), its chart had a plot area
~55 px high with a cut legend; every title had ~100 px blank above it, and the map was 640 px high
whatever the window (at 1440×900 its bottom was below the window)."""

from __future__ import annotations

import pytest
from conftest import MAP_IFRAME, PHONE, map_frame, save_screenshot, wait_for_app
from playwright.sync_api import expect

from heza_geo import i18n
from heza_geo.analysis.cards import city_cards
from heza_geo.config import DEFAULT_DATA_DIR
from heza_geo.io import load_dataset

DESKTOP = {"width": 1440, "height": 900}
PRESENTER = {"width": 1920, "height": 1080}
#: the panel's column beside the map (the park panel, .st-key-park_panel, is its content)
PANEL = '.st-key-map_area [data-testid="stColumn"]:last-of-type'
#: the app's header (transparent, over the page's top)
HEADER_PX = 60

#: every element of the panel that holds text or draws (a canvas, a chart), and where it overflows:
#: wider than its box (it scrolls or is cut sideways), or past the panel's or the window's right edge
OVERFLOWS = """(selector) => {
    const panel = document.querySelector(selector);
    const edge = panel.getBoundingClientRect().right;
    const out = [];
    if (panel.scrollWidth > panel.clientWidth + 1) {
        out.push({what: 'panel', sw: panel.scrollWidth, cw: panel.clientWidth});
    }
    for (const e of panel.querySelectorAll('*')) {
        const text = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
        const drawn = ['CANVAS', 'svg', 'TABLE', 'UL', 'DL'].includes(e.tagName)
            || e.classList.contains('dvn-scroller');
        if (!text && !drawn) continue;
        const r = e.getBoundingClientRect();
        if (!r.width) continue;
        const html = !(e instanceof SVGElement);  // an SVG's parts have no box of their own to scroll in
        const scrolls = html && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0;  // cut, scrolled, spilling
        if (scrolls || r.right > edge + 1 || r.right > innerWidth) {
            out.push({what: e.tagName + '.' + e.className, text: (e.textContent || '').slice(0, 40),
                      sw: e.scrollWidth, cw: e.clientWidth, right: Math.round(r.right), edge: Math.round(edge)});
        }
    }
    // the chart's legend and plot inside the chart's own box
    for (const c of panel.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
        const box = c.getBoundingClientRect();
        for (const g of c.querySelectorAll('g.role-legend, g.role-axis')) {
            const r = g.getBoundingClientRect();
            if (r.right > box.right + 1 || r.left < box.left - 1) {
                out.push({what: 'chart ' + g.getAttribute('class'), right: r.right, box: box.right});
            }
        }
    }
    return out; }"""

#: the height of the history chart's plot area: its y axis (0% to 100%, labels included)
PLOT_HEIGHT = """(selector) => {
    const axis = Array.from(document.querySelectorAll(selector + ' g.role-axis'))
        .find(g => (g.getAttribute('aria-label') || '').startsWith('Y-axis'));
    return axis ? axis.getBoundingClientRect().height : 0; }"""


def open_panel(page, url: str, park: str, lang: str) -> None:
    """The map page with ``park``'s panel, once its chart and rows are drawn."""
    page.goto(f"{url}/?lang={lang}&selected={park}")
    wait_for_app(page)
    map_frame(page).locator("path.heza-park-selected").first.wait_for(state="attached")  # for the screenshot
    page.locator(f"{PANEL} [data-testid='stVegaLiteChart'] g.role-axis").first.wait_for(state="attached")


@pytest.mark.parametrize("viewport, lang, park", [
    (DESKTOP, "en", "dinh-vu"),
    (DESKTOP, "vi", "dinh-vu"),
    (DESKTOP, "en", "nomura"),  # the longest developer's name and an official source
    (DESKTOP, "vi", "nomura"),
    (PRESENTER, "en", "dinh-vu"),
])
def test_every_value_of_the_park_panel_is_in_view_without_scrolling_sideways(page, app_server, viewport, lang, park):
    page.set_viewport_size(viewport)
    open_panel(page, app_server, park, lang)
    assert page.evaluate(OVERFLOWS, PANEL) == []
    assert page.evaluate(PLOT_HEIGHT, PANEL) >= 120  # a plot area one can read (was ~55 px)
    panel = page.locator(PANEL).bounding_box()
    assert panel["width"] >= 380  # was ~330 px at 1440
    assert page.locator(f"{PANEL} .st-key-park_panel").count() == 1  # what the phone's sheet scrolls to
    if park == "dinh-vu" and lang == "en":
        save_screenshot(page, f"issue15-park-panel-{viewport['width']}x{viewport['height']}")
    if park == "dinh-vu" and lang == "vi":
        save_screenshot(page, "issue15-park-panel-vi-1440x900")


def test_the_city_cards_name_their_figures_in_full(page, app_server):
    """"Hai Phong at a glance": "City average occupancy", "FDI (cumulative) (million USD)" were cut."""
    page.set_viewport_size(DESKTOP)
    page.goto(f"{app_server}/?lang=en")
    wait_for_app(page)
    titles = [card.title for card in city_cards(load_dataset(DEFAULT_DATA_DIR), "en")]
    labels = page.locator(".st-key-city_cards [data-testid='stMetricLabel']")
    expect(labels).to_have_text(titles)  # every card drawn, each with its whole title
    cut = page.evaluate("""() => Array.from(document.querySelectorAll(
            ".st-key-city_cards [data-testid='stMetricLabel'] *"))
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)""")
    assert cut == []
    assert i18n.t("card.city_average_occupancy", "en") in titles


#: the top of the page's first heading in every frame from its first paint on (an init script:
#: it runs before the page's own scripts, so the first frame that draws the heading is sampled)
TITLE_TOPS = """(() => {
    window.__titleTops = [];
    const sample = () => {
        const h = document.querySelector('[data-testid="stMain"] h1, [data-testid="stMain"] h3');
        if (h) window.__titleTops.push(Math.round(h.getBoundingClientRect().top));
        if (window.__titleTops.length < 40) requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
})();"""


@pytest.mark.parametrize("path", ["/?lang=en", "/occupancy?lang=en"])
def test_the_title_is_near_the_top_from_the_first_paint(browser, app_server, path):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.add_init_script(TITLE_TOPS)
        page.goto(f"{app_server}{path}")
        wait_for_app(page)
        page.wait_for_function("() => window.__titleTops.length >= 40")
        tops = page.evaluate("window.__titleTops")
        assert max(tops) <= 60, tops  # the first paint too: no jump from Streamlit's 6 rem
    finally:
        context.close()


#: the map's frame, and Leaflet's own size inside it
MAP_SIZE = """() => { const f = document.querySelector('iframe[title*="streamlit_folium"]');
    const r = f.getBoundingClientRect(); const m = f.contentWindow.map;
    return {top: r.top, bottom: r.bottom, height: r.height, leaflet: m ? m.getSize().y : 0}; }"""


def test_the_map_follows_the_window_and_leaflet_its_frame(page, app_server):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{app_server}/?lang=en&selected=dinh-vu")
    wait_for_app(page)
    frame = map_frame(page)
    frame.locator("path.heza-park").first.wait_for(state="attached")
    sizes = {}
    for viewport in (DESKTOP, PRESENTER):
        page.set_viewport_size(viewport)
        page.wait_for_function(f"() => ({MAP_SIZE})().leaflet === Math.round(({MAP_SIZE})().height)")
        size = page.evaluate(MAP_SIZE)
        assert size["bottom"] <= viewport["height"], size  # the whole map in the first screen
        assert size["height"] >= 0.6 * (viewport["height"] - HEADER_PX), size
        sizes[viewport["width"]] = size["height"]
        panel = page.locator(".st-key-park_panel").bounding_box()
        assert panel["y"] < viewport["height"] / 2  # and the panel beside it
    assert sizes[1920] > sizes[1440]
    save_screenshot(page, "issue15-map-1920x1080")


def test_on_a_phone_the_park_panel_follows_the_map(browser, app_server):
    context = browser.new_context(**PHONE)
    try:
        phone = context.new_page()
        phone.goto(f"{app_server}/?lang=en&selected=dinh-vu")
        wait_for_app(phone)
        map_frame(phone).locator("path.heza-park").first.wait_for(state="attached")
        phone.locator(f"{PANEL} [data-testid='stVegaLiteChart'] g.role-axis").first.wait_for(state="attached")
        assert phone.evaluate(OVERFLOWS, PANEL) == []
        panel = phone.locator(".st-key-park_panel")
        assert panel.bounding_box()["y"] > phone.locator(MAP_IFRAME).bounding_box()["y"]
        panel.evaluate("""e => { e.scrollIntoView({block: 'start'});  // then clear of the header's »
            let s = e.parentElement; while (s && s.scrollHeight <= s.clientHeight) s = s.parentElement;
            (s || document.scrollingElement).scrollBy(0, -64); }""")
        save_screenshot(phone, "issue15-park-panel-390x844")
    finally:
        context.close()


def test_the_investment_tables_are_listed_whole_at_1440(page, app_server):
    # issue 15: the investors' table cut their names, their park and every source ("Official figure –")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{app_server}/investment?lang=en&period=11+months+2024")  # the period whose FDI has parts
    table = page.locator(".st-key-inv_investors_table table")
    expect(table).to_be_visible(timeout=60_000)
    expect(table.get_by_text("Kyocera", exact=True)).to_be_visible()
    assert page.evaluate(OVERFLOWS, ".st-key-inv_investors_table") == []
    # and the other tables of the page: the period's parts ("621 million U") and the enterprises' results
    for key in (".st-key-inv_parts_fdi", ".st-key-inv_enterprise_table"):
        expect(page.locator(f"{key} table")).to_be_visible()
        assert page.evaluate(OVERFLOWS, key) == [], key
