// Calls to the REST API: JSON in and out, the CSRF token on every write.
// Resolves to {ok, status, data}; a network failure resolves with status 0 so callers
// can keep the change and try again, instead of losing it to an exception.

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (error) {
    return { ok: false, status: 0, data: null, error: { message: "no connection to the server" } };
  }
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  return {
    ok: response.ok,
    status: response.status,
    data,
    error: response.ok ? null : data?.error ?? { message: `the server answered ${response.status}` },
  };
}

// Builds an element from a <template id=...> in the page.
export function clone(templateId) {
  const template = document.getElementById(templateId);
  return template.content.firstElementChild.cloneNode(true);
}

// A textarea grows with its text, so nothing a teacher wrote hides behind a scrollbar.
export function autogrow(textarea) {
  const fit = () => {
    textarea.style.height = "auto";
    textarea.style.height = `${textarea.scrollHeight + 2}px`;
  };
  textarea.addEventListener("input", fit);
  fit();
  return fit;
}

export function fitAll(root = document) {
  for (const textarea of root.querySelectorAll("textarea.autogrow")) {
    textarea.style.height = "auto";
    textarea.style.height = `${textarea.scrollHeight + 2}px`;
  }
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
