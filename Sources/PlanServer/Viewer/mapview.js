// The Leaflet map: panes that keep context under plan layers and analysis on top, the
// highlight used by result lists, and the fit helpers that respect the panel.
/* global L */
import { t } from "./i18n.js";
import * as fmt from "./format.js";

// Panes live inside Leaflet's overlay pane (so every drawn path is under .leaflet-overlay-pane),
// stacked: context fills < context lines < halos of near hits (a glow under the plan features)
// < plan polygons < plan lines < plan points < analysis < highlight.
export const PANES = {
  contextPolygon: 10, contextLine: 20, halo: 25, planPolygon: 30, planLine: 40, planPoint: 50, analysis: 60, highlight: 70,
};

export const HIGHLIGHT = { color: "#00a3e0", weight: 6, opacity: 1, fillColor: "#00a3e0", fillOpacity: 0.18, dashArray: null };

const SHENYANG = [41.80, 123.43];

export function createMap(element) {
  const map = L.map(element, {
    center: SHENYANG, zoom: 11, minZoom: 6, maxZoom: 19, zoomSnap: 0.25, zoomDelta: 0.5,
    zoomControl: false, preferCanvas: false, renderer: L.svg({ padding: 0.5 }),
  });
  const overlay = map.getPane("overlayPane");
  for (const [name, z] of Object.entries(PANES)) {
    map.createPane(name, overlay).style.zIndex = String(z);
  }
  L.control.zoom({ position: "topright" }).addTo(map);
  L.control.scale({ metric: true, imperial: false, position: "bottomleft", maxWidth: 140 }).addTo(map);
  addCursorReadout(map);
  trackZoomBand(map);
  // data-moving marks animations in progress (screenshots and tests wait for the map to settle).
  map.on("movestart", () => { element.dataset.moving = "true"; });
  map.on("moveend", () => { delete element.dataset.moving; });
  return map;
}

export function paneFor(kind, context) {
  if (context) return kind === "polygon" || kind === "mixed" ? "contextPolygon" : "contextLine";
  return { polygon: "planPolygon", mixed: "planPolygon", line: "planLine", point: "planPoint" }[kind];
}

function addCursorReadout(map) {
  const Readout = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      const el = L.DomUtil.create("div", "cursor-readout");
      el.dataset.testid = "cursor-coords";
      el.setAttribute("aria-hidden", "true");
      map.on("mousemove", (e) => {
        el.textContent = t("map.cursor", { lon: fmt.coordinate(e.latlng.lng), lat: fmt.coordinate(e.latlng.lat) });
      });
      map.on("mouseout", () => { el.textContent = ""; });
      return el;
    },
  });
  new Readout().addTo(map);
}

// Labels of points and lines crowd a city-wide view; CSS hides them by zoom band.
function trackZoomBand(map) {
  const update = () => {
    const z = map.getZoom();
    map.getContainer().dataset.zoomBand = z < 11.5 ? "far" : z < 13.5 ? "mid" : "near";
  };
  map.on("zoomend", update);
  update();
}

// One highlighted geometry at a time (hover or selection in a result list).
export function createHighlighter(map) {
  let current = null;
  return {
    show(geometry, pointRadius = 10) {
      this.clear();
      if (!geometry) return;
      current = L.geoJSON(geometry, {
        pane: "highlight", interactive: false, className: "pa-highlight",
        style: () => HIGHLIGHT,
        pointToLayer: (_, latlng) => L.circleMarker(latlng, { ...HIGHLIGHT, radius: pointRadius, pane: "highlight", className: "pa-highlight" }),
      }).addTo(map);
    },
    clear() {
      if (current) map.removeLayer(current);
      current = null;
    },
  };
}

export function boundsOf(geometry) {
  const b = L.geoJSON(geometry).getBounds();
  return b.isValid() ? b : null;
}

// Zoom to a geometry: points get a street-level view, shapes are fitted with some air.
export function zoomTo(map, geometry, padding) {
  const b = boundsOf(geometry);
  if (!b) return;
  if (b.getNorthEast().equals(b.getSouthWest())) map.flyTo(b.getCenter(), Math.max(map.getZoom(), 16), { duration: 0.6 });
  else map.flyToBounds(b, { ...padding, maxZoom: 17, duration: 0.6 });
}

// Where to anchor a popup: the point, the middle of the longest line, or the centroid of the
// largest polygon's outer ring (computed here: Leaflet's getCenter needs the layer on the map).
export function anchorOf(geometry) {
  const parts = flatten(geometry);
  const points = parts.filter((p) => p.type === "Point");
  const lines = parts.filter((p) => p.type === "LineString").map((p) => p.coordinates);
  const rings = parts.filter((p) => p.type === "Polygon").map((p) => p.coordinates[0]).filter((r) => r && r.length > 2);
  if (rings.length) {
    const ring = rings.reduce((a, b) => (Math.abs(ringArea(b)) > Math.abs(ringArea(a)) ? b : a));
    const c = ringCentroid(ring);
    return L.latLng(c[1], c[0]);
  }
  if (lines.length) {
    const line = lines.reduce((a, b) => (lineLength(b) > lineLength(a) ? b : a));
    const c = alongLine(line, lineLength(line) / 2);
    return L.latLng(c[1], c[0]);
  }
  if (points.length) return L.latLng(points[0].coordinates[1], points[0].coordinates[0]);
  return null;
}

function flatten(g) {
  if (!g) return [];
  switch (g.type) {
    case "Point": case "LineString": case "Polygon": return g.coordinates && g.coordinates.length ? [g] : [];
    case "MultiPoint": return g.coordinates.map((c) => ({ type: "Point", coordinates: c }));
    case "MultiLineString": return g.coordinates.map((c) => ({ type: "LineString", coordinates: c }));
    case "MultiPolygon": return g.coordinates.map((c) => ({ type: "Polygon", coordinates: c }));
    case "GeometryCollection": return g.geometries.flatMap(flatten);
    default: return [];
  }
}

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a / 2;
}

function ringCentroid(ring) {
  const a = ringArea(ring);
  if (a === 0) return ring[0];
  let x = 0, y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
  }
  return [x / (6 * a), y / (6 * a)];
}

function lineLength(line) {
  let d = 0;
  for (let i = 1; i < line.length; i++) d += Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
  return d;
}

function alongLine(line, distance) {
  let left = distance;
  for (let i = 1; i < line.length; i++) {
    const step = Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
    if (step >= left && step > 0) {
      const f = left / step;
      return [line[i - 1][0] + f * (line[i][0] - line[i - 1][0]), line[i - 1][1] + f * (line[i][1] - line[i - 1][1])];
    }
    left -= step;
  }
  return line[line.length - 1];
}
