// simplestyle-spec (+ stroke-dasharray and by_status) -> Leaflet path options and legend swatches.
import { svg } from "./dom.js";

// Defaults from the simplestyle-spec 1.1.0.
const DEFAULTS = {
  stroke: "#555555", "stroke-width": 2, "stroke-opacity": 1,
  fill: "#555555", "fill-opacity": 0.6,
  "marker-color": "#7e7e7e", "marker-size": "medium",
};
const MARKER_RADIUS = { small: 4, medium: 6, large: 9 };

export function geometryKind(type) {
  const name = String(type || "").replace(/^Multi/, "");
  if (name === "Point") return "point";
  if (name === "LineString") return "line";
  if (name === "Polygon") return "polygon";
  return "mixed";
}

// What the layer itself says for a feature of this status (by_status overrides merged on top).
function ownStyle(layerStyle, status) {
  const { by_status: byStatus, ...base } = layerStyle || {};
  const overrides = (status && byStatus && byStatus[status]) || {};
  return { ...base, ...overrides };
}

export function statusesWithOverrides(layerStyle) {
  return Object.keys((layerStyle && layerStyle.by_status) || {});
}

export function pathOptions(layerStyle, kind, status) {
  const own = ownStyle(layerStyle, status);
  const s = { ...DEFAULTS, ...own };
  const stroke = {
    color: s.stroke, weight: Number(s["stroke-width"]), opacity: Number(s["stroke-opacity"]),
    dashArray: s["stroke-dasharray"] || null, lineCap: "round", lineJoin: "round",
  };
  if (kind === "line") return { ...stroke, fill: false };
  if (kind === "point") {
    // A point is coloured by marker-color and outlined in white unless the style names a stroke.
    const size = s["marker-size"];
    return {
      ...stroke,
      radius: typeof size === "number" ? size : MARKER_RADIUS[size] || MARKER_RADIUS.medium,
      color: "stroke" in own ? s.stroke : "#ffffff",
      weight: "stroke-width" in own ? stroke.weight : 1.5,
      fill: true, fillColor: s["marker-color"],
      fillOpacity: "fill-opacity" in own ? Number(s["fill-opacity"]) : 1,
    };
  }
  return { ...stroke, fill: true, fillColor: s.fill, fillOpacity: Number(s["fill-opacity"]) };
}

// A 28×18 legend swatch drawn with the same options the map uses.
export function swatch(layerStyle, kind, status) {
  const o = pathOptions(layerStyle, kind === "mixed" ? "polygon" : kind, status);
  const weight = Math.min(o.weight || 1, kind === "line" ? 5 : 2.5);
  const outline = { stroke: o.color, "stroke-width": weight, "stroke-opacity": o.opacity,
    "stroke-dasharray": o.dashArray || undefined };
  let shape;
  if (kind === "line") {
    shape = svg("path", { d: "M3 13 C 10 3, 17 15, 25 5", fill: "none", "stroke-linecap": "round", ...outline });
  } else if (kind === "point") {
    shape = svg("circle", { cx: 14, cy: 9, r: Math.min(o.radius, 7), fill: o.fillColor, "fill-opacity": o.fillOpacity,
      stroke: o.color.toLowerCase() === "#ffffff" ? "#5b6470" : o.color, "stroke-width": Math.min(o.weight, 2) });
  } else {
    shape = svg("rect", { x: 2, y: 2, width: 24, height: 14, rx: 2, fill: o.fillColor, "fill-opacity": o.fillOpacity, ...outline });
  }
  return svg("svg", { class: "swatch", width: 28, height: 18, viewBox: "0 0 28 18", "aria-hidden": "true", focusable: "false" }, shape);
}
