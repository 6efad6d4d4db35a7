// planatlas viewer: wires the map, the panels and the language switch together.
/* global L */
import { h, $ } from "./dom.js";
import { t, lang, setLang, onLangChange, applyTo } from "./i18n.js";
import { getJSON, ApiError } from "./api.js";
import { createMap, createHighlighter } from "./mapview.js";
import { makeEntry, loadLayers, renderLayerPanel, createLegend } from "./layers.js";
import { featurePopup } from "./popup.js";
import { setupNear } from "./near.js";
import { setupOverlaps } from "./overlaps.js";
import { setupExport } from "./exporter.js";
import { showProblem } from "./problems.js";

const SHEET_QUERY = "(max-width: 800px), (orientation: portrait) and (max-width: 1024px)";

const viewer = {
  map: null, entries: [], entryById: new Map(), basemap: null,
  highlighter: null, activeTab: "layers",
  near: { count: 0, ids: [], distances: [], query: null },
  overlaps: { kind: null, pairs: 0, listed: 0, drawn: 0, areaM2: 0 },
  errors: [],
};

// What the browser test (and a curious planner in the console) can read: plain data only.
function publish() {
  const layers = {};
  for (const e of viewer.entries) {
    layers[e.id] = {
      title: e.meta.title, context: e.context, status: e.status, visible: e.visible,
      itemCount: e.itemCount ?? null, features: e.features, drawn: e.drawn, unlocated: e.unlocated,
      error: e.error ? e.error.message : null,
    };
  }
  const ready = viewer.entries.filter((e) => e.status === "ready");
  window.planatlasViewer = {
    ready: document.body.dataset.ready === "true",
    lang: lang(),
    layerCount: viewer.entries.length,
    drawnLayerCount: ready.length,
    featureCount: ready.reduce((n, e) => n + e.drawn, 0),
    layers,
    near: { ...viewer.near },
    overlaps: { ...viewer.overlaps },
    errors: [...viewer.errors],
  };
}
viewer.publish = publish;

// ---- tabs and panel ---------------------------------------------------------------------

const tabs = () => [...document.querySelectorAll('[role="tab"]')];

function showTab(name, { focus = false } = {}) {
  viewer.activeTab = name;
  for (const tab of tabs()) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#${tab.getAttribute("aria-controls")}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  viewer.map.getContainer().classList.toggle("picking", name === "near");
  setSheet(true);
}
viewer.showTab = showTab;

function setupTabs() {
  for (const tab of tabs()) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
    tab.addEventListener("keydown", (e) => {
      const list = tabs();
      const i = list.indexOf(tab);
      const next = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: list.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      showTab(list[(next + list.length) % list.length].dataset.tab, { focus: true });
    });
  }
}

const sheetMode = window.matchMedia(SHEET_QUERY);
viewer.sheetMode = sheetMode;

function setSheet(open) {
  const panel = $("#panel");
  if (!sheetMode.matches || (panel.dataset.sheet === "open") === open) return;
  panel.dataset.sheet = open ? "open" : "closed";
  $("#sheet-handle").setAttribute("aria-expanded", String(open));
  afterLayoutChange();
}

function setupPanelChrome() {
  $("#sheet-handle").addEventListener("click", () => setSheet($("#panel").dataset.sheet !== "open"));
  const toggle = $("#panel-toggle");
  toggle.addEventListener("click", () => {
    const collapsed = document.body.classList.toggle("panel-collapsed");
    toggle.setAttribute("aria-expanded", String(!collapsed));
    toggle.dataset.i18nAriaLabel = collapsed ? "panel.show" : "panel.hide";
    toggle.dataset.i18nTitle = collapsed ? "panel.show" : "panel.hide";
    applyTo(toggle.parentElement);
    afterLayoutChange();
  });
  sheetMode.addEventListener("change", afterLayoutChange);
}

// The map's box changes with the panel; Leaflet must re-measure once the transition is over.
function afterLayoutChange() {
  if (!viewer.map) return;
  setTimeout(() => viewer.map.invalidateSize({ pan: false }), 260);
}

// Fits keep clear of the map's controls, and of the legend when it is open beside the map.
viewer.fitPadding = () => {
  const legendBox = document.querySelector(".legend:not(.collapsed)");
  const right = legendBox && !sheetMode.matches ? legendBox.offsetWidth + 24 : 0;
  return { paddingTopLeft: [32, 32], paddingBottomRight: [32 + right, 32] };
};

// ---- map interaction ----------------------------------------------------------------------

viewer.onFeatureClick = (entry, feature, e) => {
  if (viewer.activeTab === "near") return; // the map click runs the search at this point
  L.DomEvent.stop(e);
  viewer.openFeaturePopup(entry, feature, e.latlng);
};

viewer.openFeaturePopup = (entry, feature, latlng, options = {}) => {
  const content = featurePopup(entry && entry.meta, feature, {
    onNearHere: () => {
      viewer.map.closePopup();
      showTab("near");
      near.runAt(latlng);
    },
  });
  L.popup({ className: "pa-popup", maxWidth: 340, minWidth: 240, autoPanPadding: [24, 24], ...options })
    .setLatLng(latlng).setContent(content).openOn(viewer.map);
};

viewer.fitLayer = (entry) => {
  if (!entry.group) return;
  const b = entry.group.getBounds();
  if (b.isValid()) viewer.map.flyToBounds(b, { ...viewer.fitPadding(), maxZoom: 16, duration: 0.6 });
};

// ---- loading --------------------------------------------------------------------------------

let legend, near, overlaps, exporter;

viewer.layersChanged = () => {
  renderLayerPanel(viewer, $("#layer-groups"));
  legend.render();
  publish();
};
viewer.legendChanged = () => legend && legend.render();
viewer.legendExtras = () => (overlaps ? overlaps.legendExtras() : []);

async function loadConfig() {
  try {
    return await getJSON("/viewer/config.json");
  } catch {
    return {}; // no config (404) is the normal offline case
  }
}

function addBasemap(config) {
  if (!config.tileUrl) return;
  viewer.basemap = L.tileLayer(config.tileUrl, {
    attribution: config.attribution || "", maxZoom: config.maxZoom || 19,
    subdomains: config.subdomains || "abc",
  }).addTo(viewer.map);
}

function setLoading(done, total) {
  const box = $("#map-loading");
  if (total === 0 || done >= total) {
    box.classList.add("done");
    return;
  }
  box.classList.remove("done");
  $("#map-loading-bar").style.width = `${Math.round((100 * done) / total)}%`;
  $("#map-loading-text").textContent = t("loading.progress", { done, total });
}

function updateLoadStatus() {
  const total = viewer.entries.length;
  const ready = viewer.entries.filter((e) => e.status === "ready");
  const pending = viewer.entries.filter((e) => e.status === "loading").length;
  $("#load-status").textContent = pending
    ? t("loading.progress", { done: total - pending, total })
    : t("loading.summary", { layers: ready.length, features: ready.reduce((n, e) => n + e.drawn, 0) });
}

function catalogueBounds(entries) {
  let bounds = null;
  for (const e of entries) {
    const bbox = e.meta.extent && e.meta.extent.spatial && e.meta.extent.spatial.bbox && e.meta.extent.spatial.bbox[0];
    if (!bbox || bbox.length < 4) continue;
    const b = L.latLngBounds([bbox[1], bbox[0]], [bbox[bbox.length === 6 ? 4 : 3], bbox[bbox.length === 6 ? 3 : 2]]);
    bounds = bounds ? bounds.extend(b) : b;
  }
  return bounds && bounds.isValid() ? bounds : null;
}

async function loadCatalogue() {
  const fatal = $("#fatal");
  fatal.hidden = true;
  let catalogue;
  try {
    catalogue = await getJSON("/collections");
  } catch (error) {
    viewer.errors.push(error.message);
    showProblem(fatal, error.status ? error : new ApiError({ title: t("loading.catalogueFailed"), detail: error.message }));
    fatal.append(h("button", { type: "button", class: "button small", onclick: loadCatalogue }, t("retry")));
    setLoading(0, 0);
    document.body.dataset.ready = "error";
    publish();
    return;
  }
  viewer.entries = (catalogue.collections || []).map(makeEntry);
  viewer.entryById = new Map(viewer.entries.map((e) => [e.id, e]));
  renderAll();
  const planBounds = catalogueBounds(viewer.entries.filter((e) => !e.context)) || catalogueBounds(viewer.entries);
  if (planBounds) viewer.map.fitBounds(planBounds, viewer.fitPadding());
  setLoading(0, viewer.entries.length);
  updateLoadStatus();
  publish();

  await loadLayers(viewer, viewer.entries, (entry, done) => {
    if (entry.status === "error") viewer.errors.push(`${entry.id}: ${entry.error.message}`);
    setLoading(done, viewer.entries.length);
    updateLoadStatus();
    viewer.layersChanged();
  });
  document.body.dataset.ready = "true";
  publish();
}

function renderAll() {
  renderLayerPanel(viewer, $("#layer-groups"));
  overlaps.fillSelects();
  exporter.render();
  legend.render();
}

function setupLanguage() {
  const button = $("#lang-toggle");
  button.addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
  onLangChange(() => {
    renderAll();
    near.rerender();
    overlaps.rerender();
    updateLoadStatus();
    viewer.map.attributionControl.setPrefix(attributionPrefix());
    // Permanent labels and open popups are rebuilt in the new language.
    for (const e of viewer.entries) if (e.group) e.group.eachLayer((l) => l.getTooltip() && l.getTooltip().update());
    viewer.map.closePopup();
    publish();
  });
}

function attributionPrefix() {
  return `planatlas · Leaflet | ${t("map.dataNote")}`;
}

async function start() {
  applyTo(document);
  viewer.map = createMap($("#map"));
  viewer.map.attributionControl.setPrefix(attributionPrefix());
  viewer.highlighter = createHighlighter(viewer.map);
  viewer.map.on("click", (e) => { if (viewer.activeTab === "near") near.runAt(e.latlng); });
  legend = createLegend(viewer);
  near = setupNear(viewer);
  overlaps = setupOverlaps(viewer);
  exporter = setupExport(viewer);
  setupTabs();
  setupPanelChrome();
  setupLanguage();
  if (sheetMode.matches) $("#panel").dataset.sheet = "open";
  publish();
  addBasemap(await loadConfig());
  await loadCatalogue();
}

start().catch((error) => {
  // A bug in the viewer itself: say so on the page rather than fail silently.
  console.error(error);
  viewer.errors.push(String(error && error.message || error));
  const toast = $("#toast");
  toast.textContent = `${t("error.title")}: ${error && error.message}`;
  toast.hidden = false;
  document.body.dataset.ready = "error";
  publish();
});

