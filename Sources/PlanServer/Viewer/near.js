// Near: a point (typed or clicked) and a radius or k; the circle, and the hits listed by distance.
/* global L */
import { h, $ } from "./dom.js";
import { t } from "./i18n.js";
import { getJSON, query } from "./api.js";
import * as fmt from "./format.js";
import { swatch, geometryKind, pathOptions } from "./style.js";
import { zoomTo, anchorOf } from "./mapview.js";
import { layerTitle, featureName, featureAltName } from "./names.js";
import { statusBadge } from "./popup.js";
import { showProblem, clearProblem } from "./problems.js";

const CIRCLE = { color: "#1f3a5f", weight: 2, opacity: 0.9, dashArray: "6 6", fillColor: "#1f3a5f", fillOpacity: 0.06 };
// Hits glow: a wide soft outline drawn under the feature itself, never a fill (a containing
// district would otherwise paint the whole view).
const HALO = { color: "#00a3e0", opacity: 0.45, fill: false, dashArray: null, lineCap: "round", lineJoin: "round" };

// Problem "parameter" names -> the input to mark invalid.
const INPUT_FOR = { lon: "near-lon", lat: "near-lat", radius: "near-radius", k: "near-k", layers: "near-visible-only" };

export function setupNear(viewer) {
  const form = $("#near-form");
  const lon = $("#near-lon"), lat = $("#near-lat"), radius = $("#near-radius"), k = $("#near-k");
  const list = $("#near-results"), count = $("#near-count"), errorBox = $("#near-error");
  const analysis = L.layerGroup().addTo(viewer.map);
  let controller = null;
  let last = null; // {query, features}
  let selected = null;

  const mode = () => form.elements.mode.value;
  form.addEventListener("change", (e) => {
    if (e.target.name !== "mode") return;
    $("#near-radius-field").hidden = mode() !== "radius";
    $("#near-k-field").hidden = mode() !== "k";
  });
  for (const chip of form.querySelectorAll("[data-radius]")) {
    chip.addEventListener("click", () => {
      radius.value = chip.dataset.radius;
      if (lon.value.trim() && lat.value.trim()) run({ fit: true });
    });
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); run({ fit: true }); });
  $("#near-clear").addEventListener("click", clear);

  function clear() {
    if (controller) controller.abort();
    analysis.clearLayers();
    viewer.highlighter.clear();
    list.replaceChildren();
    count.textContent = "";
    last = null;
    selected = null;
    clearProblem(errorBox, form);
    viewer.near = { count: 0, ids: [], distances: [], query: null };
    viewer.publish();
  }

  // fit: bring the search area into view (typed coordinates); a map click keeps the view
  // unless the circle spills out of it.
  async function run({ fit }) {
    clearProblem(errorBox, form);
    const lonText = lon.value.trim(), latText = lat.value.trim();
    if (!lonText || !latText) {
      showProblem(errorBox, { message: t("near.needPoint") });
      (lonText ? lat : lon).setAttribute("aria-invalid", "true");
      return;
    }
    const params = { lon: lonText, lat: latText };
    if (mode() === "radius") params.radius = radius.value.trim();
    else params.k = k.value.trim();
    if ($("#near-visible-only").checked) params.layers = viewer.entries.filter((e) => e.visible).map((e) => e.id).join(",");

    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    form.setAttribute("aria-busy", "true");
    count.textContent = t("near.searching");
    drawCentre(Number(lonText), Number(latText), mode() === "radius" ? Number(params.radius) : null, fit);
    try {
      const result = await getJSON(query("/near", params), { signal });
      last = { query: result.query || params, features: result.features || [] };
      render();
      drawHits(fit);
      if (viewer.sheetMode.matches) count.scrollIntoView({ block: "start", behavior: "smooth" });
    } catch (error) {
      if (error.name === "AbortError") return;
      count.textContent = "";
      list.replaceChildren();
      analysis.clearLayers();
      showProblem(errorBox, error, form, INPUT_FOR);
    } finally {
      if (!signal.aborted) form.removeAttribute("aria-busy");
    }
  }

  function drawCentre(x, y, r, fit) {
    analysis.clearLayers();
    viewer.highlighter.clear();
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) return;
    const centre = L.latLng(y, x);
    if (Number.isFinite(r) && r > 0) {
      const circle = L.circle(centre, { ...CIRCLE, radius: r, pane: "analysis", interactive: false, className: "pa-near-circle" });
      analysis.addLayer(circle);
      show(circle.getBounds(), fit);
    } else if (fit) {
      viewer.map.flyTo(centre, Math.max(viewer.map.getZoom(), 14), { duration: 0.6 });
    }
    analysis.addLayer(L.circleMarker(centre, {
      pane: "analysis", radius: 6, color: "#ffffff", weight: 2, fillColor: "#1f3a5f", fillOpacity: 1, interactive: false,
      className: "pa-near-centre",
    }));
  }

  function drawHits(fit) {
    const features = last.features;
    // k-nearest has no radius: show how far the k-th hit is with the same circle.
    if (mode() === "k" && features.length) {
      const far = Math.max(...features.map((f) => Number(f.properties.distance_m) || 0));
      if (far > 0) {
        const c = L.circle(L.latLng(Number(last.query.lat), Number(last.query.lon)),
          { ...CIRCLE, radius: far, pane: "analysis", interactive: false, className: "pa-near-circle" });
        analysis.addLayer(c);
        show(c.getBounds(), fit);
      }
    }
    for (const f of features) {
      const entry = viewer.entryById.get(f.properties.layer);
      if (!f.geometry || !entry || entry.context) continue; // context hits are listed, not lit up
      const kind = geometryKind(f.geometry.type);
      const own = pathOptions(entry.style, kind === "mixed" ? "polygon" : kind, f.properties.status);
      analysis.addLayer(L.geoJSON(f.geometry, {
        pane: "halo", interactive: false, className: "pa-near-hit",
        style: () => ({ ...HALO, weight: (own.weight || 2) + 10 }),
        pointToLayer: (_, latlng) => L.circleMarker(latlng, {
          ...HALO, weight: 10, radius: (own.radius || 6) + 2, pane: "halo", interactive: false, className: "pa-near-hit",
        }),
      }));
    }
    // Keep the centre marker on top of the halos.
    analysis.eachLayer((l) => { if (l.options && l.options.className === "pa-near-centre") l.bringToFront(); });
  }

  function show(bounds, fit) {
    if (fit || !viewer.map.getBounds().contains(bounds)) {
      viewer.map.flyToBounds(bounds, { ...viewer.fitPadding(), duration: 0.6 });
    }
  }

  function render() {
    if (!last) return;
    const features = last.features;
    count.textContent = features.length ? t("near.count", { n: features.length }) : t("near.none");
    list.replaceChildren(...features.map((f, i) => item(f, i)));
    viewer.near = {
      count: features.length,
      ids: features.map((f) => `${f.properties.layer}/${f.id ?? f.properties.id}`),
      distances: features.map((f) => Number(f.properties.distance_m)),
      query: last.query,
    };
    viewer.publish();
  }

  function item(feature, index) {
    const p = feature.properties || {};
    const entry = viewer.entryById.get(p.layer);
    const kind = geometryKind(feature.geometry && feature.geometry.type);
    const d = Number(p.distance_m);
    const inside = d === 0 && kind === "polygon";
    const alt = featureAltName(p);
    const button = h("button", { type: "button", class: "result-item", "aria-pressed": String(selected === index) },
      h("span", { class: "rank", "aria-hidden": "true" }, String(index + 1)),
      entry ? swatch(entry.style, kind, p.status) : null,
      h("span", { class: "result-body" },
        h("span", { class: "result-name" }, featureName(p)),
        alt && h("span", { class: "result-alt" }, alt),
        h("span", { class: "result-meta" }, entry ? layerTitle(entry.meta) : p.layer, statusBadge(p.status))),
      h("span", { class: "distance", "data-testid": "near-distance" }, inside ? t("near.inside") : fmt.distance(d)));
    const li = h("li", {
      "data-testid": "near-result", class: selected === index ? "selected" : "",
      dataset: { layer: p.layer, id: String(feature.id ?? p.id), distance: String(d) },
    }, button);
    const show = () => viewer.highlighter.show(feature.geometry);
    // Leaving an item puts the highlight back on the chosen hit, if there is one.
    const hide = () => {
      const chosen = selected !== null && last.features[selected];
      if (chosen) viewer.highlighter.show(chosen.geometry);
      else viewer.highlighter.clear();
    };
    button.addEventListener("mouseenter", show);
    button.addEventListener("focus", show);
    button.addEventListener("mouseleave", hide);
    button.addEventListener("blur", hide);
    button.addEventListener("click", () => {
      selected = index;
      for (const [i, node] of [...list.children].entries()) {
        node.classList.toggle("selected", i === index);
        node.firstChild.setAttribute("aria-pressed", String(i === index));
      }
      show();
      zoomTo(viewer.map, feature.geometry, viewer.fitPadding());
      const at = anchorOf(feature.geometry);
      if (at) viewer.openFeaturePopup(entry, feature, at, { autoPan: false });
    });
    return li;
  }

  return {
    runAt(latlng) {
      lon.value = fmt.coordinate(latlng.lng);
      lat.value = fmt.coordinate(latlng.lat);
      run({ fit: false });
    },
    rerender() { if (last) { render(); } },
    clear,
  };
}
