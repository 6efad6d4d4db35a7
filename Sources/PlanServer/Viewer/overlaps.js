// Overlaps: two layers (with an optional buffer) or the conflict rules; the intersection polygons
// drawn on the map, the list with areas (m², ha, mu) and shares, map and list linked both ways.
/* global L */
import { h, svg, $, fill } from "./dom.js";
import { t, lang, severityLabel } from "./i18n.js";
import { getJSON, query } from "./api.js";
import * as fmt from "./format.js";
import { zoomTo, anchorOf } from "./mapview.js";
import { layerTitle, featureName } from "./names.js";
import { showProblem, clearProblem } from "./problems.js";

const SEVERITY_COLOUR = { high: "#c62828", error: "#c62828", medium: "#ef6c00", warning: "#ef6c00", low: "#f9a825", info: "#f9a825" };
const PLAIN_COLOUR = "#d6246e";
const SEVERITY_RANK = { high: 0, error: 0, medium: 1, warning: 1, low: 2, info: 2 };
const SELECTED = { color: "#00a3e0", weight: 4, opacity: 1, fillOpacity: 0.55, dashArray: null };
const INPUT_FOR = { layers: "overlaps-a", buffer: "overlaps-buffer" };

function colourOf(severity) { return SEVERITY_COLOUR[String(severity || "").toLowerCase()] || PLAIN_COLOUR; }

export function overlapStyle(severity) {
  const colour = colourOf(severity);
  return { color: colour, weight: 1.5, opacity: 1, fillColor: colour, fillOpacity: 0.45, dashArray: null };
}

export function overlapSwatch(severity) {
  const s = overlapStyle(severity);
  return svg("svg", { class: "swatch", width: 28, height: 18, viewBox: "0 0 28 18", "aria-hidden": "true" },
    svg("rect", { x: 2, y: 2, width: 24, height: 14, rx: 2, fill: s.fillColor, "fill-opacity": s.fillOpacity, stroke: s.color, "stroke-width": 1.5 }));
}

export function setupOverlaps(viewer) {
  const form = $("#overlaps-form");
  const selectA = $("#overlaps-a"), selectB = $("#overlaps-b"), buffer = $("#overlaps-buffer");
  const list = $("#overlaps-results"), summary = $("#overlaps-summary"), errorBox = $("#overlaps-error");
  const drawn = L.featureGroup().addTo(viewer.map);
  let controller = null;
  let last = null;      // {features, summary, kind: "pair"|"rules"}
  let shapes = [];      // Leaflet layer per listed pair (null when it has no geometry)
  let selected = null;
  let hovered = null;
  let rules = null;     // id -> rule from /rules, for titles

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const params = { layers: `${selectA.value},${selectB.value}`, buffer: buffer.value.trim() };
    run(params, "pair");
  });
  $("#overlaps-rules").addEventListener("click", () => run({ rules: "all" }, "rules"));
  $("#overlaps-swap").addEventListener("click", () => {
    const a = selectA.value;
    selectA.value = selectB.value;
    selectB.value = a;
  });

  function fillSelects() {
    const keep = [selectA.value, selectB.value];
    const plan = viewer.entries.filter((e) => !e.context), context = viewer.entries.filter((e) => e.context);
    const options = () => [
      h("optgroup", { label: t("layers.plan") }, plan.map((e) => h("option", { value: e.id }, layerTitle(e.meta)))),
      context.length && h("optgroup", { label: t("layers.context") }, context.map((e) => h("option", { value: e.id }, layerTitle(e.meta)))),
    ];
    selectA.replaceChildren(...options().filter(Boolean));
    selectB.replaceChildren(...options().filter(Boolean));
    const ids = viewer.entries.map((e) => e.id);
    // Overlaps need area: start with the first two polygon plan layers when there are some.
    const areal = plan.filter((e) => e.kind === "polygon");
    const pool = areal.length >= 2 ? areal : plan.length ? plan : context;
    const defaults = [pool[0], pool[1] || pool[0]].map((e) => e && e.id);
    selectA.value = ids.includes(keep[0]) ? keep[0] : defaults[0] || "";
    selectB.value = ids.includes(keep[1]) ? keep[1] : defaults[1] || "";
  }

  async function loadRules(signal) {
    if (rules) return;
    try {
      const catalogue = await getJSON("/rules", { signal });
      const items = Array.isArray(catalogue) ? catalogue : catalogue.rules || [];
      rules = new Map(items.filter((r) => r && r.id).map((r) => [r.id, r]));
    } catch (error) {
      if (error.name === "AbortError") throw error;
      rules = new Map(); // titles are a nicety: show rule ids when the catalogue is unavailable
    }
  }

  // The API names pairs in Chinese; the drawn layers know both names of each feature.
  function pairName(layerId, featureId, fallback) {
    const entry = viewer.entryById.get(layerId);
    const drawnLayer = entry && entry.byId.get(String(featureId));
    const name = drawnLayer && drawnLayer.feature ? featureName(drawnLayer.feature.properties || {}) : "";
    return name || fallback || String(featureId);
  }

  function ruleTitle(id) {
    const rule = rules && rules.get(id);
    if (!rule) return id;
    const zh = rule.title_zh || rule.name_zh, en = rule.title || rule.name || rule.title_en;
    return (lang() === "zh" ? zh || en : en || zh) || id;
  }

  async function run(params, kind) {
    clearProblem(errorBox, form);
    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    form.setAttribute("aria-busy", "true");
    summary.replaceChildren(h("p", { class: "result-count" }, t("overlaps.running")));
    try {
      const [result] = await Promise.all([getJSON(query("/overlaps", params), { signal }), kind === "rules" ? loadRules(signal) : null]);
      last = { kind, features: result.features || [], summary: result.summary || null };
      selected = null;
      draw();
      render();
      if (drawn.getLayers().length) viewer.map.flyToBounds(drawn.getBounds(), { ...viewer.fitPadding(), maxZoom: 16, duration: 0.6 });
    } catch (error) {
      if (error.name === "AbortError") return;
      summary.replaceChildren();
      showProblem(errorBox, error, form, INPUT_FOR);
    } finally {
      if (!signal.aborted) form.removeAttribute("aria-busy");
    }
  }

  // Worst first, then largest: what a planner should look at before anything else.
  function ordered(features) {
    return features.map((f, i) => ({ f, i })).sort((x, y) => {
      const rx = SEVERITY_RANK[String(x.f.properties.severity || "").toLowerCase()] ?? 3;
      const ry = SEVERITY_RANK[String(y.f.properties.severity || "").toLowerCase()] ?? 3;
      return rx - ry || (Number(y.f.properties.area_m2) || 0) - (Number(x.f.properties.area_m2) || 0) || x.i - y.i;
    }).map((x) => x.f);
  }

  function draw() {
    drawn.clearLayers();
    viewer.highlighter.clear();
    last.features = ordered(last.features);
    shapes = last.features.map((feature, index) => {
      if (!feature.geometry) return null;
      const shape = L.geoJSON(feature.geometry, {
        pane: "analysis", className: `pa-overlap pa-overlap-${index}`,
        style: () => overlapStyle(feature.properties.severity),
      });
      shape.on("click", (e) => { L.DomEvent.stop(e); select(index, { fromMap: true, latlng: e.latlng }); });
      shape.on("mouseover", () => hover(index, true));
      shape.on("mouseout", () => hover(index, false));
      drawn.addLayer(shape);
      return shape;
    });
  }

  function render() {
    if (!last) return;
    const features = last.features;
    const s = last.summary || {};
    const pairs = Number.isFinite(s.pairs) ? s.pairs : features.length;
    const total = s.area_m2 !== undefined ? s : { area_m2: features.reduce((a, f) => a + (Number(f.properties.area_m2) || 0), 0) };
    const a = fmt.areas(total);
    fill(summary,
      h("div", { class: "summary-head" },
        h("p", { class: "result-count", "data-testid": "overlaps-count" }, pairs ? t("overlaps.pairs", { n: pairs }) : t("overlaps.none")),
        h("button", { type: "button", class: "link-button", "data-testid": "overlaps-clear", onclick: clear }, t("near.clear"))),
      pairs > 0 && h("div", { class: "stats", "aria-label": t("overlaps.total") },
        h("div", { class: "stat" }, h("span", { class: "stat-label" }, t("overlaps.total")), h("span", { class: "stat-value" }, a.m2)),
        h("div", { class: "stat" }, h("span", { class: "stat-value" }, a.ha)),
        h("div", { class: "stat emphasis" }, h("span", { class: "stat-value" }, a.mu))));
    list.replaceChildren(...features.map((f, i) => item(f, i)));
    viewer.overlaps = {
      kind: last.kind, pairs, listed: features.length,
      drawn: shapes.filter(Boolean).length,
      areaM2: Number(total.area_m2) || 0,
    };
    viewer.publish();
    viewer.legendChanged();
  }

  function item(feature, index) {
    const p = feature.properties || {};
    const a = fmt.areas(p);
    const entryA = viewer.entryById.get(p.layer_a), entryB = viewer.entryById.get(p.layer_b);
    const severity = p.severity ? String(p.severity).toLowerCase() : null;
    const buffered = (Number(p.buffer_m_a) || 0) > 0 || (Number(p.buffer_m_b) || 0) > 0;
    const button = h("button", { type: "button", class: "result-item overlap-item", "aria-pressed": String(selected === index) },
      overlapSwatch(p.severity),
      h("span", { class: "result-body" },
        (severity || p.rule) && h("span", { class: "overlap-rule" },
          severity && h("span", { class: "severity-badge", dataset: { severity } }, severityLabel(severity)),
          p.rule && h("span", { class: "rule-title" }, ruleTitle(p.rule))),
        h("span", { class: "overlap-names" },
          h("span", { class: "pair-tag" }, "A"), h("span", { class: "result-name" }, pairName(p.layer_a, p.id_a, p.name_a)),
          h("span", { class: "pair-tag b" }, "B"), h("span", { class: "result-name" }, pairName(p.layer_b, p.id_b, p.name_b))),
        h("span", { class: "result-meta" },
          `${entryA ? layerTitle(entryA.meta) : p.layer_a} × ${entryB ? layerTitle(entryB.meta) : p.layer_b}`),
        h("span", { class: "overlap-areas", "data-testid": "overlap-area" },
          h("strong", {}, a.mu), h("span", {}, a.ha), h("span", {}, a.m2)),
        h("span", { class: "overlap-shares" },
          h("span", {}, t("overlaps.shareA", { p: fmt.percent(p.share_a_pct) })),
          h("span", {}, t("overlaps.shareB", { p: fmt.percent(p.share_b_pct) })),
          buffered && h("span", {}, t("overlaps.buffered", { a: fmt.number(Number(p.buffer_m_a) || 0), b: fmt.number(Number(p.buffer_m_b) || 0) }))),
        !feature.geometry && h("span", { class: "result-alt" }, t("overlaps.noGeometry"))));
    const li = h("li", { "data-testid": "overlap-result", class: selected === index ? "selected" : "", dataset: { index: String(index), severity: severity || "", areaM2: String(p.area_m2) } }, button);
    button.addEventListener("mouseenter", () => hover(index, true));
    button.addEventListener("mouseleave", () => hover(index, false));
    button.addEventListener("focus", () => hover(index, true));
    button.addEventListener("blur", () => hover(index, false));
    button.addEventListener("click", () => select(index, { fromMap: false }));
    return li;
  }

  function restyle(index) {
    const shape = shapes[index];
    if (!shape) return;
    const base = overlapStyle(last.features[index].properties.severity);
    const on = selected === index || hovered === index;
    shape.setStyle(on ? { ...base, ...SELECTED } : base);
    if (on) shape.bringToFront();
  }

  function hover(index, on) {
    const before = hovered;
    hovered = on ? index : (hovered === index ? null : hovered);
    if (before !== null && before !== hovered) restyle(before);
    restyle(index);
    const li = list.children[index];
    if (li) li.classList.toggle("hovered", on);
  }

  function select(index, { fromMap, latlng }) {
    const before = selected;
    selected = index;
    if (before !== null) restyle(before);
    restyle(index);
    for (const [i, node] of [...list.children].entries()) {
      node.classList.toggle("selected", i === index);
      node.firstChild.setAttribute("aria-pressed", String(i === index));
    }
    const li = list.children[index];
    const feature = last.features[index];
    if (fromMap) {
      viewer.showTab("overlaps");
      if (li) li.scrollIntoView({ block: "nearest", behavior: "smooth" });
    } else if (feature.geometry) {
      zoomTo(viewer.map, feature.geometry, viewer.fitPadding());
    }
    const at = latlng || anchorOf(feature.geometry);
    if (at) L.popup({ className: "pa-popup", maxWidth: 320, autoPan: fromMap }).setLatLng(at).setContent(pairPopup(feature)).openOn(viewer.map);
  }

  function pairPopup(feature) {
    const p = feature.properties;
    const a = fmt.areas(p);
    const entryA = viewer.entryById.get(p.layer_a), entryB = viewer.entryById.get(p.layer_b);
    return h("article", { class: "pp", "data-testid": "overlap-popup" },
      h("div", { class: "pp-layer" }, overlapSwatch(p.severity), h("span", {}, t("overlaps.pair"))),
      p.severity && h("span", { class: "severity-badge", dataset: { severity: String(p.severity).toLowerCase() } }, severityLabel(p.severity)),
      p.rule && h("p", { class: "pp-alt" }, `${t("overlaps.rule")}: ${ruleTitle(p.rule)}`),
      h("dl", { class: "pp-facts" },
        h("dt", {}, "A"), h("dd", {}, `${pairName(p.layer_a, p.id_a, p.name_a)} · ${entryA ? layerTitle(entryA.meta) : p.layer_a}`),
        h("dt", {}, "B"), h("dd", {}, `${pairName(p.layer_b, p.id_b, p.name_b)} · ${entryB ? layerTitle(entryB.meta) : p.layer_b}`),
        h("dt", {}, t("unit.mu")), h("dd", {}, a.mu),
        h("dt", {}, t("unit.ha")), h("dd", {}, a.ha),
        h("dt", {}, t("unit.m2")), h("dd", {}, a.m2),
        h("dt", {}, t("overlaps.share")), h("dd", {}, `${t("overlaps.shareA", { p: fmt.percent(p.share_a_pct) })} · ${t("overlaps.shareB", { p: fmt.percent(p.share_b_pct) })}`)));
  }

  function clear() {
    if (controller) controller.abort();
    drawn.clearLayers();
    shapes = [];
    last = null;
    selected = null;
    hovered = null;
    list.replaceChildren();
    summary.replaceChildren();
    clearProblem(errorBox, form);
    viewer.overlaps = { kind: null, pairs: 0, listed: 0, drawn: 0, areaM2: 0 };
    viewer.map.closePopup();
    viewer.publish();
    viewer.legendChanged();
  }

  return {
    fillSelects,
    rerender() { render(); },
    legendExtras() {
      if (!last || !last.features.length) return [];
      const severities = [...new Set(last.features.map((f) => (f.properties.severity ? String(f.properties.severity).toLowerCase() : null)))];
      return severities.map((s) => ({ swatch: overlapSwatch(s), label: s ? `${t("overlaps.pair")} · ${severityLabel(s)}` : t("overlaps.pair") }));
    },
  };
}
