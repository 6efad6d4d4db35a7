// Numbers as planners read them, in the current language.
import { t, locale } from "./i18n.js";

const MU_PER_M2 = 15 / 10000; // 1 mu = 10000/15 m²

export function number(value, digits = 0) {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function distance(metres) {
  if (!Number.isFinite(metres)) return "–";
  if (metres < 1000) return `${number(Math.round(metres))} ${t("unit.m")}`;
  return `${number(metres / 1000, metres < 10000 ? 2 : 1)} ${t("unit.km")}`;
}

// The server sends all three units; derive a missing one rather than show a gap.
export function areas({ area_m2, area_ha, area_mu }) {
  const m2 = Number(area_m2);
  const ha = Number.isFinite(Number(area_ha)) && area_ha !== null ? Number(area_ha) : m2 / 10000;
  const mu = Number.isFinite(Number(area_mu)) && area_mu !== null ? Number(area_mu) : m2 * MU_PER_M2;
  return {
    m2: `${number(m2)} ${t("unit.m2")}`,
    ha: `${number(ha, ha < 10 ? 2 : 1)} ${t("unit.ha")}`,
    mu: `${number(mu, mu < 100 ? 1 : 0)} ${t("unit.mu")}`,
  };
}

export function percent(value) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return "–";
  const v = Number(value);
  return `${number(v, v < 10 ? 1 : 0)}%`;
}

// target is {value, unit} in the data; older or hand-made data may give a number or a string.
export function target(value) {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "object") {
    const amount = typeof value.value === "number" ? number(value.value, Number.isInteger(value.value) ? 0 : 1) : value.value;
    return [amount, value.unit].filter((x) => x !== undefined && x !== null && x !== "").join(" ");
  }
  return typeof value === "number" ? number(value) : String(value);
}

export function accuracy(metres) {
  if (metres === null || metres === undefined || metres === "") return t("popup.accuracyUnknown");
  return t("popup.accuracyValue", { m: number(Number(metres)) });
}

export function coordinate(value) { return Number(value).toFixed(6); }
