// Which title or name to show first depends on the language; the other one is shown beside it.
import { lang } from "./i18n.js";

export function layerTitle(meta) {
  const zh = meta["planatlas:title_zh"];
  return lang() === "zh" ? zh || meta.title || meta.id : meta.title || zh || meta.id;
}

export function layerAltTitle(meta) {
  const zh = meta["planatlas:title_zh"];
  const alt = lang() === "zh" ? meta.title : zh;
  return alt && alt !== layerTitle(meta) ? alt : "";
}

export function featureName(props = {}) {
  const first = lang() === "zh" ? props.name || props.name_en : props.name_en || props.name;
  return first || props.id || "";
}

export function featureAltName(props = {}) {
  const alt = lang() === "zh" ? props.name_en : props.name;
  return alt && alt !== featureName(props) ? alt : "";
}
