// Search as you type on the catalogue page. The form still works without this script
// (a plain GET submit); here the results part is fetched from the same page with
// fragment=results after a pause in typing, and put in place. The server renders it
// with the page's own template (every value escaped), and it is parsed as an inert
// document, never assigned to innerHTML.

const DEBOUNCE_MS = 250;

const form = document.getElementById("search-form");
const input = document.getElementById("q");
let timer = null;
let latest = 0;

function pageUrl(extra = {}) {
  const url = new URL(form.action, window.location.href);
  for (const [name, value] of new FormData(form)) {
    if (String(value).trim() !== "") url.searchParams.set(name, String(value));
  }
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
  return url;
}

async function refresh() {
  const asked = ++latest;
  const url = pageUrl({ fragment: "results" });
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
  } catch {
    return; // offline: the form's own submit still works
  }
  if (asked !== latest) return; // a later keystroke's answer will come
  if (!response.ok) return; // e.g. a query too long: submitting shows the message
  const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = parsed.getElementById("results");
  const current = document.getElementById("results");
  if (fresh && current) {
    current.replaceWith(document.importNode(fresh, true));
    window.history.replaceState(null, "", pageUrl());
  }
}

if (form && input) {
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  });
}
