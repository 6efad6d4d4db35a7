// Export: every layer as a GeoJSON download in WGS84, GCJ-02 (Amap/Tencent) or EPSG:4549.
import { h, $ } from "./dom.js";
import { t } from "./i18n.js";
import { query } from "./api.js";
import { swatch } from "./style.js";
import { layerTitle, layerAltTitle } from "./names.js";

const FORMATS = [
  { key: "wgs84", crs: "EPSG:4326", label: "export.wgs84", primary: true },
  { key: "gcj02", crs: "GCJ-02", label: "export.gcj02" },
  { key: "cgcs2000", crs: "EPSG:4549", label: "export.cgcs2000" },
];

export function setupExport(viewer) {
  const list = $("#export-list");
  const withStyle = $("#export-style");
  withStyle.addEventListener("change", render);

  function href(entry, crs) {
    return query(`/export/${encodeURIComponent(entry.id)}`, { crs, style: withStyle.checked ? "true" : undefined });
  }

  function render() {
    const ordered = [...viewer.entries.filter((e) => !e.context), ...viewer.entries.filter((e) => e.context)];
    list.replaceChildren(...ordered.map((entry) => {
      const title = layerTitle(entry.meta), alt = layerAltTitle(entry.meta);
      return h("li", { class: "export-row", dataset: { layer: entry.id } },
        h("div", { class: "export-names" },
          swatch(entry.style, entry.kind),
          h("span", { class: "layer-names" },
            h("span", { class: "layer-title" }, title),
            h("span", { class: "layer-alt" }, [alt, entry.itemCount !== undefined ? t("layers.features", { n: entry.itemCount }) : null].filter(Boolean).join(" · ")))),
        h("div", { class: "export-links" }, FORMATS.map((f) =>
          h("a", {
            class: f.primary ? "download primary" : "download", href: href(entry, f.crs),
            download: `${entry.id}${f.primary ? "" : "." + f.key}.geojson`,
            "data-testid": `export-link-${entry.id}-${f.key}`,
            "aria-label": t("export.download", { title, crs: f.crs }),
          }, t(f.label)))));
    }));
  }

  return { render };
}
