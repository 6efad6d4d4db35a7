// The popup for a plan feature: both names, status, the plan's own sentence, target, accuracy, source.
import { h } from "./dom.js";
import { t, statusLabel } from "./i18n.js";
import * as fmt from "./format.js";
import { swatch, geometryKind } from "./style.js";
import { layerTitle, featureName, featureAltName } from "./names.js";

export function statusBadge(status) {
  if (!status) return null;
  return h("span", { class: "status-badge", dataset: { status } }, statusLabel(status));
}

function fact(label, value) {
  if (value === null || value === undefined || value === "") return null;
  return [h("dt", {}, label), h("dd", {}, value)];
}

function sourceNode(source) {
  if (!source) return null;
  const text = String(source);
  if (/^https?:\/\//i.test(text)) return h("a", { href: text, target: "_blank", rel: "noopener noreferrer" }, text);
  return text;
}

export function featurePopup(meta, feature, { onNearHere, extra } = {}) {
  const props = feature.properties || {};
  const kind = geometryKind(feature.geometry && feature.geometry.type);
  const alt = featureAltName(props);
  return h("article", { class: "pp", "data-testid": "feature-popup" },
    meta && h("div", { class: "pp-layer" }, swatch(meta["planatlas:style"], kind, props.status), h("span", {}, layerTitle(meta))),
    h("h3", { class: "pp-name" }, featureName(props)),
    alt && h("p", { class: "pp-alt" }, alt),
    extra,
    statusBadge(props.status),
    props.plan_text && h("blockquote", { class: "pp-text" },
      h("span", { class: "pp-text-label" }, t("popup.planText")), props.plan_text),
    h("dl", { class: "pp-facts" },
      fact(t("popup.target"), fmt.target(props.target)),
      fact(t("popup.accuracy"), fmt.accuracy(props.accuracy_m)),
      fact(t("popup.section"), props.plan_section),
      fact(t("popup.source"), sourceNode(props.source)),
      fact(t("popup.id"), props.id ?? feature.id)),
    onNearHere && h("div", { class: "pp-actions" },
      h("button", { type: "button", class: "button small", onclick: onNearHere }, t("near.here"))));
}
