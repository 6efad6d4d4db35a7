// Every string the viewer shows, in Chinese and English, and the little machinery to apply them.
// Layer titles and feature names come from the data (title / planatlas:title_zh, name / name_en).

const STRINGS = {
  zh: {
    "app.title": "沈阳规划图集",
    "app.subtitle": "2021年十方面重点工作 · 空间规划查询",
    "app.documentTitle": "沈阳规划图集 · planatlas",
    "lang.switch": "EN",
    "lang.switchLabel": "Switch to English",
    "panel.hide": "收起侧栏",
    "panel.show": "展开侧栏",
    "panel.label": "功能面板",
    "skip.toPanel": "跳到功能面板",
    "sheet.toggle": "展开或收起面板",
    "tab.layers": "图层",
    "tab.near": "周边",
    "tab.overlaps": "重叠",
    "tab.export": "导出",
    "tabs.label": "功能",

    "layers.plan": "规划图层",
    "layers.context": "参考底图",
    "layers.basemap": "在线底图",
    "layers.showAll": "全部显示",
    "layers.hideAll": "全部隐藏",
    "layers.features": "{n} 个要素",
    "layers.unlocated": "其中 {n} 个无位置",
    "layers.zoomTo": "缩放到“{title}”",
    "layers.loading": "加载中…",
    "layers.failed": "加载失败:{message}",
    "layers.intro": "勾选以显示或隐藏图层。点击地图上的要素查看规划原文。",
    "loading.progress": "正在加载图层 {done}/{total}",
    "loading.summary": "已加载 {layers} 个图层,共 {features} 个要素",
    "loading.catalogueFailed": "无法读取图层目录",
    "retry": "重试",

    "legend.title": "图例",
    "legend.empty": "没有可见图层",

    "near.title": "周边查询",
    "near.hint": "点击地图选点,或输入 WGS84 经纬度。",
    "near.lon": "经度",
    "near.lat": "纬度",
    "near.mode": "查询方式",
    "near.mode.radius": "半径范围内",
    "near.mode.k": "最近的 k 个",
    "near.radius": "半径(米)",
    "near.k": "数量 k",
    "near.presets": "常用半径",
    "near.visibleOnly": "只查询当前可见的图层",
    "near.submit": "查询",
    "near.clear": "清除",
    "near.searching": "查询中…",
    "near.count": "找到 {n} 个要素",
    "near.none": "范围内没有要素",
    "near.inside": "位于其内",
    "near.here": "查询此处周边",
    "near.needPoint": "请先在地图上点选,或填写经度和纬度。",

    "overlaps.title": "重叠分析",
    "overlaps.hint": "选择两个图层,找出它们内部相交、面积为正的区域。",
    "overlaps.a": "图层 A",
    "overlaps.b": "图层 B",
    "overlaps.swap": "交换 A 和 B",
    "overlaps.buffer": "缓冲距离(米)",
    "overlaps.bufferHint": "线和点本身没有面积,需设置缓冲距离。",
    "overlaps.submit": "计算重叠",
    "overlaps.or": "或",
    "overlaps.rules": "运行冲突规则",
    "overlaps.rulesHint": "按 conflict-rules.json 中的全部规则检查规划冲突。",
    "overlaps.running": "计算中…",
    "overlaps.pairs": "{n} 处重叠",
    "overlaps.none": "没有发现重叠",
    "overlaps.total": "重叠面积合计",
    "overlaps.shareA": "占 A {p}",
    "overlaps.shareB": "占 B {p}",
    "overlaps.buffered": "缓冲:A {a} 米,B {b} 米",
    "overlaps.rule": "规则",
    "overlaps.share": "占比",
    "overlaps.pair": "重叠区域",
    "overlaps.noGeometry": "(无几何图形)",

    "severity.high": "严重",
    "severity.medium": "中等",
    "severity.low": "轻微",
    "severity.error": "严重",
    "severity.warning": "警告",
    "severity.info": "提示",

    "unit.m2": "平方米",
    "unit.ha": "公顷",
    "unit.mu": "亩",
    "unit.m": "米",
    "unit.km": "公里",

    "export.title": "导出 GeoJSON",
    "export.hint": "下载整个图层的 GeoJSON 文件。",
    "export.wgs84Hint": "WGS84(EPSG:4326):通用经纬度,适用于 QGIS、Leaflet、MapLibre、geojson.io。",
    "export.gcjHint": "GCJ-02:高德、腾讯等国内网络地图使用的加偏坐标(与 WGS84 相差约 500 米),叠加到这些地图上时选用。",
    "export.cgcsHint": "CGCS2000 / 3 度带高斯-克吕格投影,中央经线 123°E(EPSG:4549):以米为单位,适用于 CAD 与测绘。",
    "export.withStyle": "附带样式属性(simplestyle)",
    "export.wgs84": "WGS84",
    "export.gcj02": "GCJ-02",
    "export.cgcs2000": "EPSG:4549",
    "export.download": "下载“{title}”({crs})",

    "popup.target": "规划目标",
    "popup.accuracy": "位置精度",
    "popup.accuracyValue": "±{m} 米",
    "popup.accuracyUnknown": "未注明",
    "popup.source": "数据来源",
    "popup.section": "规划板块",
    "popup.id": "编号",
    "popup.planText": "规划原文",

    "status.planned": "规划",
    "status.under_construction": "在建",
    "status.extension": "延伸扩建",
    "status.relocation": "搬迁改造",
    "status.existing": "现状",
    "status.protected": "保护",
    "status.completed": "建成",
    "status.upgrade": "提升改造",
    "status.renewal": "更新",
    "status.restoration": "修复",
    "status.closure": "封场",

    "error.title": "出错了",
    "error.network": "无法连接服务器,请检查 planatlas serve 是否在运行。",
    "error.http": "服务器返回 HTTP {status}",
    "error.parameter": "参数 {p}",

    "map.label": "规划地图,可用方向键平移、加减号缩放",
    "map.cursor": "经度 {lon} 纬度 {lat}",
    "map.dataNote": "数据:沈阳市2021年政府工作报告;位置为手工数字化,精度见各要素",
  },
  en: {
    "app.title": "Shenyang Plan Atlas",
    "app.subtitle": "The 2021 plan's ten key areas, on the map",
    "app.documentTitle": "Shenyang Plan Atlas · planatlas",
    "lang.switch": "中文",
    "lang.switchLabel": "切换到中文",
    "panel.hide": "Hide side panel",
    "panel.show": "Show side panel",
    "panel.label": "Tools",
    "skip.toPanel": "Skip to the tools panel",
    "sheet.toggle": "Expand or collapse the panel",
    "tab.layers": "Layers",
    "tab.near": "Near",
    "tab.overlaps": "Overlaps",
    "tab.export": "Export",
    "tabs.label": "Tools",

    "layers.plan": "Plan layers",
    "layers.context": "Context",
    "layers.basemap": "Online basemap",
    "layers.showAll": "Show all",
    "layers.hideAll": "Hide all",
    "layers.features": "{n} features",
    "layers.features.one": "{n} feature",
    "layers.unlocated": "{n} without a location",
    "layers.zoomTo": "Zoom to “{title}”",
    "layers.loading": "Loading…",
    "layers.failed": "Failed to load: {message}",
    "layers.intro": "Tick a layer to show or hide it. Click a feature on the map to read the plan's own words.",
    "loading.progress": "Loading layers {done}/{total}",
    "loading.summary": "{layers} layers loaded, {features} features",
    "loading.catalogueFailed": "Could not load the layer catalogue",
    "retry": "Retry",

    "legend.title": "Legend",
    "legend.empty": "No visible layers",

    "near.title": "What is near",
    "near.hint": "Click the map to pick a point, or type WGS84 longitude and latitude.",
    "near.lon": "Longitude",
    "near.lat": "Latitude",
    "near.mode": "Search by",
    "near.mode.radius": "Within a radius",
    "near.mode.k": "Nearest k",
    "near.radius": "Radius (m)",
    "near.k": "Count k",
    "near.presets": "Common radii",
    "near.visibleOnly": "Only the layers now visible",
    "near.submit": "Search",
    "near.clear": "Clear",
    "near.searching": "Searching…",
    "near.count": "{n} features found",
    "near.count.one": "{n} feature found",
    "near.none": "Nothing found in range",
    "near.inside": "inside",
    "near.here": "What is near here?",
    "near.needPoint": "Pick a point on the map first, or fill in longitude and latitude.",

    "overlaps.title": "Where plans overlap",
    "overlaps.hint": "Pick two layers to find where their interiors intersect with a positive area.",
    "overlaps.a": "Layer A",
    "overlaps.b": "Layer B",
    "overlaps.swap": "Swap A and B",
    "overlaps.buffer": "Buffer (m)",
    "overlaps.bufferHint": "Lines and points have no area of their own: give them a buffer.",
    "overlaps.submit": "Find overlaps",
    "overlaps.or": "or",
    "overlaps.rules": "Run conflict rules",
    "overlaps.rulesHint": "Checks every rule in conflict-rules.json.",
    "overlaps.running": "Computing…",
    "overlaps.pairs": "{n} overlaps",
    "overlaps.pairs.one": "{n} overlap",
    "overlaps.none": "No overlaps found",
    "overlaps.total": "Total overlapping area",
    "overlaps.shareA": "{p} of A",
    "overlaps.shareB": "{p} of B",
    "overlaps.buffered": "buffer: A {a} m, B {b} m",
    "overlaps.rule": "Rule",
    "overlaps.share": "Share",
    "overlaps.pair": "Overlap",
    "overlaps.noGeometry": "(no geometry)",

    "severity.high": "High",
    "severity.medium": "Medium",
    "severity.low": "Low",
    "severity.error": "Error",
    "severity.warning": "Warning",
    "severity.info": "Info",

    "unit.m2": "m²",
    "unit.ha": "ha",
    "unit.mu": "mu",
    "unit.m": "m",
    "unit.km": "km",

    "export.title": "Export GeoJSON",
    "export.hint": "Download a whole layer as a GeoJSON file.",
    "export.wgs84Hint": "WGS84 (EPSG:4326): plain longitude/latitude for QGIS, Leaflet, MapLibre, geojson.io.",
    "export.gcjHint": "GCJ-02: the offset coordinates used by Chinese web maps (Amap/Gaode, Tencent), about 500 m from WGS84. Choose it to overlay on those maps.",
    "export.cgcsHint": "CGCS2000 / 3-degree Gauss-Krüger, central meridian 123°E (EPSG:4549): metres, for CAD and survey work.",
    "export.withStyle": "Include style properties (simplestyle)",
    "export.wgs84": "WGS84",
    "export.gcj02": "GCJ-02",
    "export.cgcs2000": "EPSG:4549",
    "export.download": "Download “{title}” ({crs})",

    "popup.target": "Target",
    "popup.accuracy": "Accuracy",
    "popup.accuracyValue": "±{m} m",
    "popup.accuracyUnknown": "not stated",
    "popup.source": "Source",
    "popup.section": "Plan section",
    "popup.id": "ID",
    "popup.planText": "Plan text",

    "status.planned": "Planned",
    "status.under_construction": "Under construction",
    "status.extension": "Extension",
    "status.relocation": "Relocation",
    "status.existing": "Existing",
    "status.protected": "Protected",
    "status.completed": "Completed",
    "status.upgrade": "Upgrade",
    "status.renewal": "Renewal",
    "status.restoration": "Restoration",
    "status.closure": "Closure",

    "error.title": "Something went wrong",
    "error.network": "Could not reach the server. Is planatlas serve running?",
    "error.http": "The server answered HTTP {status}",
    "error.parameter": "parameter {p}",

    "map.label": "Plan map; arrow keys pan, plus and minus zoom",
    "map.cursor": "lon {lon} lat {lat}",
    "map.dataNote": "Data: Shenyang 2021 government work report; positions hand-digitised, see each feature's accuracy",
  },
};

export const LANGUAGES = Object.keys(STRINGS);
const STORAGE_KEY = "planatlas.lang";
const listeners = new Set();
let current = initialLanguage();

function initialLanguage() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && STRINGS[saved]) return saved;
  } catch { /* storage can be disabled; fall through to the browser's language */ }
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "zh";
  return preferred.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function lang() { return current; }
export function locale() { return current === "zh" ? "zh-CN" : "en-GB"; }

export function setLang(next) {
  if (!STRINGS[next] || next === current) return;
  current = next;
  try { localStorage.setItem(STORAGE_KEY, next); } catch { /* not fatal: the choice lasts for this page */ }
  applyTo(document);
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn) { listeners.add(fn); }

// t("near.count", {n: 3}) — picks "near.count.one" in English when n is 1.
export function t(key, vars = {}) {
  const table = STRINGS[current];
  let text;
  if (typeof vars.n === "number" && current === "en" && vars.n === 1) text = table[key + ".one"];
  text = text ?? table[key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

// Known enumerations fall back to the raw value, so new statuses still show up readably.
export function statusLabel(status) {
  if (!status) return "";
  const key = "status." + status;
  return key in STRINGS[current] ? t(key) : String(status).replace(/_/g, " ");
}

export function severityLabel(severity) {
  if (!severity) return "";
  const key = "severity." + String(severity).toLowerCase();
  return key in STRINGS[current] ? t(key) : String(severity);
}

// Static markup carries data-i18n="key" (text) and data-i18n-<attr>="key" (attributes).
export function applyTo(root) {
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  document.title = t("app.documentTitle");
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const attr of ["aria-label", "title", "placeholder"]) {
    const data = "i18n" + attr.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) el.setAttribute(attr, t(el.dataset[data]));
  }
}
