// Layers: reads every collection, draws it with its style, and offers the toggles and legend.
/* global L */
import { h, fill } from "./dom.js";
import { t, statusLabel } from "./i18n.js";
import { allItems } from "./api.js";
import { geometryKind, pathOptions, swatch, statusesWithOverrides } from "./style.js";
import { paneFor } from "./mapview.js";
import { layerTitle, layerAltTitle, featureName } from "./names.js";

const LOAD_CONCURRENCY = 4;

export function makeEntry(meta) {
  const context = meta["planatlas:context"] === true;
  return {
    id: meta.id, meta, context,
    kind: geometryKind(meta["planatlas:geometryType"]),
    style: meta["planatlas:style"] || {},
    itemCount: meta["planatlas:itemCount"],
    group: null, byId: new Map(),
    features: 0, drawn: 0, unlocated: 0,
    status: "loading", error: null, visible: true,
  };
}

function hasCoordinates(geometry) {
  if (!geometry) return false;
  if (geometry.type === "GeometryCollection") return (geometry.geometries || []).some(hasCoordinates);
  const walk = (c) => Array.isArray(c) && (typeof c[0] === "number" ? c.length >= 2 : c.some(walk));
  return walk(geometry.coordinates);
}

// Which property the style's "label" names (true means the feature's name).
function labelText(entry, props) {
  const label = entry.style.label;
  if (typeof label === "string" && label !== "name" && label !== "name_en" && props[label] != null) return String(props[label]);
  return featureName(props);
}

export function drawLayer(viewer, entry, features) {
  const kind = entry.kind;
  const pane = paneFor(kind, entry.context);
  const className = `pa-feature pa-layer-${entry.id}`;
  const group = L.geoJSON(null, {
    pane, className,
    style: (f) => pathOptions(entry.style, kind === "mixed" ? geometryKind(f.geometry.type) : kind, f.properties && f.properties.status),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      ...pathOptions(entry.style, "point", f.properties && f.properties.status),
      pane: entry.context ? "contextLine" : "planPoint", className,
    }),
    onEachFeature: (feature, layer) => decorate(viewer, entry, feature, layer),
  });
  entry.features = features.length;
  for (const feature of features) {
    if (!hasCoordinates(feature.geometry)) { entry.unlocated++; continue; }
    try {
      group.addData(feature);
    } catch (error) {
      // One malformed feature must not hide the rest of the layer.
      console.warn(`planatlas: feature ${feature.id} of ${entry.id} could not be drawn`, error);
      entry.unlocated++;
    }
  }
  entry.group = group;
  if (entry.visible) group.addTo(viewer.map);
}

function decorate(viewer, entry, feature, layer) {
  const props = feature.properties || {};
  entry.drawn++;
  entry.byId.set(String(feature.id ?? props.id), layer);
  layer.on("click", (e) => viewer.onFeatureClick(entry, feature, e));
  if (entry.style.label) {
    const kind = entry.kind;
    layer.bindTooltip(() => labelText(entry, props), {
      permanent: true, interactive: false,
      direction: kind === "point" ? "right" : "center", offset: kind === "point" ? [6, 0] : [0, 0],
      className: `pa-label pa-label-${kind}${entry.context ? " pa-label-context" : ""}`,
    });
  } else {
    layer.bindTooltip(() => featureName(props), { sticky: true, direction: "top", className: "pa-tip", offset: [0, -6] });
  }
}

export async function loadLayers(viewer, entries, onProgress) {
  const queue = [...entries];
  let done = 0;
  async function worker() {
    while (queue.length) {
      const entry = queue.shift();
      try {
        const features = await allItems(entry.id);
        drawLayer(viewer, entry, features);
        entry.status = "ready";
      } catch (error) {
        entry.status = "error";
        entry.error = error;
      }
      done++;
      onProgress(entry, done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, entries.length) }, worker));
}

export function setVisible(viewer, entry, visible) {
  entry.visible = visible;
  if (!entry.group) return;
  if (visible) entry.group.addTo(viewer.map);
  else viewer.map.removeLayer(entry.group);
}

// ---- panel -------------------------------------------------------------------------------

export function renderLayerPanel(viewer, container) {
  // The panel is rebuilt as layers arrive and change; keep keyboard focus where it was.
  const focusedId = container.contains(document.activeElement) ? document.activeElement.id : null;
  container.replaceChildren();
  const groups = [
    { key: "plan", title: t("layers.plan"), entries: viewer.entries.filter((e) => !e.context) },
    { key: "context", title: t("layers.context"), entries: viewer.entries.filter((e) => e.context) },
  ];
  for (const group of groups) {
    if (!group.entries.length && !(group.key === "context" && viewer.basemap)) continue;
    const allOn = group.entries.every((e) => e.visible);
    const headingId = `layer-group-${group.key}`;
    const section = h("section", { class: "layer-group", "aria-labelledby": headingId, "data-testid": `layer-group-${group.key}` },
      h("div", { class: "group-head" },
        h("h2", { id: headingId }, group.title, h("span", { class: "group-count" }, String(group.entries.length))),
        group.entries.length > 1 && h("button", {
          type: "button", class: "link-button", id: `group-toggle-${group.key}`, "data-testid": `layer-group-toggle-${group.key}`,
          onclick: () => {
            for (const e of group.entries) setVisible(viewer, e, !allOn);
            viewer.layersChanged();
          },
        }, allOn ? t("layers.hideAll") : t("layers.showAll"))),
      h("ul", { class: "layer-list" },
        group.entries.map((entry) => layerRow(viewer, entry)),
        group.key === "context" && viewer.basemap && basemapRow(viewer)));
    container.append(section);
  }
  if (focusedId) {
    const again = document.getElementById(focusedId);
    if (again) again.focus({ preventScroll: true });
  }
}

function layerRow(viewer, entry) {
  const inputId = `toggle-${entry.id}`;
  const alt = layerAltTitle(entry.meta);
  let stateNode;
  if (entry.status === "loading") stateNode = h("span", { class: "spinner", role: "img", "aria-label": t("layers.loading") });
  else if (entry.status === "error") stateNode = h("span", { class: "layer-error", title: entry.error.message }, "!");
  else stateNode = h("span", { class: "count", title: t("layers.features", { n: entry.features }) }, String(entry.features));
  return h("li", { class: "layer-row", dataset: { layer: entry.id, state: entry.status } },
    h("input", {
      type: "checkbox", id: inputId, checked: entry.visible, "data-testid": `layer-toggle-${entry.id}`,
      onchange: (e) => { setVisible(viewer, entry, e.target.checked); viewer.layersChanged(); },
    }),
    h("label", { for: inputId },
      swatch(entry.style, entry.kind),
      h("span", { class: "layer-names" },
        h("span", { class: "layer-title" }, layerTitle(entry.meta)),
        alt && h("span", { class: "layer-alt" }, alt),
        entry.status === "error" && h("span", { class: "layer-alt error-text" }, t("layers.failed", { message: entry.error.message })),
        entry.unlocated > 0 && h("span", { class: "layer-alt" }, t("layers.unlocated", { n: entry.unlocated })))),
    stateNode,
    h("button", {
      type: "button", class: "icon-button small zoom-button", id: `zoom-${entry.id}`, "data-testid": `layer-zoom-${entry.id}`,
      "aria-label": t("layers.zoomTo", { title: layerTitle(entry.meta) }), title: t("layers.zoomTo", { title: layerTitle(entry.meta) }),
      disabled: entry.status !== "ready" || entry.drawn === 0,
      onclick: () => viewer.fitLayer(entry),
    }, h("span", { "aria-hidden": "true", class: "zoom-glyph" })));
}

function basemapRow(viewer) {
  return h("li", { class: "layer-row", dataset: { layer: "basemap", state: "ready" } },
    h("input", {
      type: "checkbox", id: "toggle-basemap", checked: viewer.map.hasLayer(viewer.basemap), "data-testid": "layer-toggle-basemap",
      onchange: (e) => { if (e.target.checked) viewer.basemap.addTo(viewer.map); else viewer.map.removeLayer(viewer.basemap); },
    }),
    h("label", { for: "toggle-basemap" },
      h("span", { class: "swatch basemap-swatch", "aria-hidden": "true" }),
      h("span", { class: "layer-names" }, h("span", { class: "layer-title" }, t("layers.basemap")))));
}

// ---- legend (a map control listing what is visible, with status variants) -------------------

export function createLegend(viewer) {
  const Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd() {
      const el = L.DomUtil.create("section", "legend");
      el.dataset.testid = "legend";
      L.DomEvent.disableClickPropagation(el);
      L.DomEvent.disableScrollPropagation(el);
      return el;
    },
  });
  const control = new Legend().addTo(viewer.map);
  let open = !viewer.sheetMode.matches; // on phones and portrait tablets the legend starts folded
  function render() {
    const el = control.getContainer();
    const visible = viewer.entries.filter((e) => e.visible && e.status === "ready");
    const extras = viewer.legendExtras();
    el.classList.toggle("collapsed", !open);
    fill(el,
      h("button", { type: "button", class: "legend-head", "aria-expanded": String(open), "data-testid": "legend-toggle",
        onclick: () => { open = !open; render(); } },
        h("span", {}, t("legend.title")), h("span", { class: "chevron", "aria-hidden": "true" })),
      open && h("ul", { class: "legend-list" },
        !visible.length && !extras.length && h("li", { class: "legend-empty" }, t("legend.empty")),
        [...visible.filter((e) => !e.context), ...visible.filter((e) => e.context)].map((entry) => {
          const statuses = statusesWithOverrides(entry.style);
          return h("li", {},
            h("div", { class: "legend-item" }, swatch(entry.style, entry.kind), h("span", {}, layerTitle(entry.meta))),
            statuses.length > 0 && h("ul", { class: "legend-sub" }, statuses.map((s) =>
              h("li", { class: "legend-item" }, swatch(entry.style, entry.kind, s), h("span", {}, statusLabel(s))))));
        }),
        extras.map((x) => h("li", { class: "legend-item legend-analysis" }, x.swatch, h("span", {}, x.label)))));
  }
  return { render };
}
