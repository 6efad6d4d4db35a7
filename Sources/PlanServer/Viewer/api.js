// Talks to the planatlas HTTP service. Failures become ApiError values carrying the
// problem+json fields (title, detail, parameter) so the page can say exactly what was wrong.
import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor({ status = 0, title = "", detail = "", parameter = null, url = "" }) {
    super(detail || title || (status ? t("error.http", { status }) : t("error.network")));
    this.name = "ApiError";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.parameter = parameter;
    this.url = url;
  }
}

export async function getJSON(url, { signal } = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json, application/geo+json" }, signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError({ url });
  }
  if (!response.ok) throw await problemFrom(response, url);
  return response.json();
}

async function problemFrom(response, url) {
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try {
      const body = await response.json();
      return new ApiError({ status: body.status || response.status, title: body.title || "", detail: body.detail || "",
        parameter: body.parameter || null, url });
    } catch { /* a broken error body: fall back to the status line */ }
  }
  return new ApiError({ status: response.status, title: response.statusText, url });
}

// Reads a whole collection, following "next" links in case the server pages below our limit.
export async function allItems(collectionId, { signal } = {}) {
  let url = `/collections/${encodeURIComponent(collectionId)}/items?limit=10000`;
  const features = [];
  for (let pages = 0; url && pages < 1000; pages++) {
    const page = await getJSON(url, { signal });
    features.push(...(page.features || []));
    const next = (page.links || []).find((link) => link.rel === "next");
    url = next && (page.features || []).length > 0 ? next.href : null;
  }
  return features;
}

export function query(path, params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  // Commas separate list values (layers=a,b); keep them readable in the URL.
  const text = search.toString().replace(/%2C/gi, ",");
  return text ? `${path}?${text}` : path;
}
