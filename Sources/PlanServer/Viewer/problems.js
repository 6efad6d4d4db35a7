// Shows a server problem (application/problem+json) or a local message where the user is looking,
// and marks the input the problem's "parameter" names.
import { h, fill } from "./dom.js";
import { t } from "./i18n.js";

export function showProblem(box, error, form, inputFor = {}) {
  const title = error.title && error.detail ? error.title : t("error.title");
  const detail = error.detail || error.message || String(error);
  fill(box,
    h("strong", { class: "problem-title" }, title, error.status ? h("span", { class: "problem-status" }, ` ${error.status}`) : null),
    h("span", { class: "problem-detail", "data-testid": "problem-detail" }, detail),
    error.parameter ? h("span", { class: "problem-parameter" }, t("error.parameter", { p: error.parameter })) : null);
  box.hidden = false;
  const input = form && error.parameter && inputFor[error.parameter] && form.querySelector(`#${inputFor[error.parameter]}`);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (!ids.includes(box.id)) input.setAttribute("aria-describedby", [...ids, box.id].join(" "));
    input.focus({ preventScroll: false });
  }
}

export function clearProblem(box, form) {
  box.hidden = true;
  box.replaceChildren();
  if (!form) return;
  for (const el of form.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && id !== box.id);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }
}
