// An entry's page: its history, and for a curator the three curation controls (edit the
// statement, merge into another entry, hide a quote), all through the REST API with the
// CSRF token (api.js). Every text from the server is set with textContent.

import { api } from "../api.js";

const SEARCH_DEBOUNCE_MS = 250;
const entry = document.querySelector("article.entry");
const entryId = entry.dataset.id;
let version = Number(entry.dataset.version || 0);

const byId = (id) => document.getElementById(id);
const teamId = () => byId("curate-team")?.value;
const curation = (part) => `/api/v1/teams/${teamId()}/misconceptions/${entryId}/${part}`;
const entryPage = (id) => entry.dataset.pageBase.replace("00000000-0000-4000-8000-000000000000", id);

function say(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle("error-text", isError);
}

// Reload the entry's page once the views hold the change (the server waits for them).
function reloadAt(id) {
  window.location.assign(`${entryPage(id)}?changed=1`);
}

// --- history ------------------------------------------------------------------------

function describe(change) {
  if (typeof change === "string") return { text: change };
  const words = change.summary ?? change.what ?? "";
  return {
    // A hidden quote's reason is part of the record: curators answer for it.
    text: change.reason ? `${words}: “${change.reason}”` : words,
    at: change.at ?? change.when ?? change.recorded_at ?? change.timestamp ?? "",
    by: change.by_name ?? change.who ?? change.by ?? "",
  };
}

async function loadHistory() {
  const list = byId("history-list");
  if (!list) return;
  const state = byId("history-state");
  const answer = await api("GET", list.dataset.url);
  if (!answer.ok) {
    say(state, answer.status === 404 ? "" : `History could not be read: ${answer.error.message}`);
    return;
  }
  const changes = Array.isArray(answer.data) ? answer.data : answer.data?.items ?? answer.data?.changes ?? [];
  list.replaceChildren();
  for (const change of changes) {
    const { text, at, by } = describe(change);
    const item = document.createElement("li");
    const words = document.createElement("span");
    words.textContent = text;
    item.append(words);
    if (at || by) {
      const meta = document.createElement("span");
      meta.className = "muted small";
      meta.textContent = ` · ${[by, at ? new Date(at).toLocaleString() : ""].filter(Boolean).join(", ")}`;
      item.append(meta);
    }
    list.append(item);
  }
  if (!changes.length) say(state, "No changes since it was added.");
}

// --- edit the statement ---------------------------------------------------------------

async function saveStatement(statement, baseVersion) {
  const state = byId("edit-state");
  say(state, "Saving…");
  const answer = await api("PUT", curation("statement"), { statement, version: baseVersion });
  if (answer.ok) {
    reloadAt(entryId);
    return;
  }
  if (answer.status === 409 && answer.error?.current) {
    const current = answer.error.current;
    version = Number(current.version ?? version);
    byId("edit-theirs").textContent = current.statement ?? "";
    byId("edit-conflict").hidden = false;
    say(state, "");
    return;
  }
  say(state, answer.error?.message ?? "That did not save.", true);
}

function setUpEditing() {
  const text = byId("edit-statement");
  byId("save-statement").addEventListener("click", () => saveStatement(text.value, version));
  byId("use-mine").addEventListener("click", () => {
    byId("edit-conflict").hidden = true;
    saveStatement(text.value, version);
  });
  byId("keep-theirs").addEventListener("click", () => {
    text.value = byId("edit-theirs").textContent;
    byId("edit-conflict").hidden = true;
    byId("statement").textContent = text.value;
    say(byId("edit-state"), "Kept their statement.");
  });
}

// --- merge into another entry ------------------------------------------------------------

function setUpMerging() {
  const search = byId("merge-search");
  const results = byId("merge-results");
  const state = byId("merge-state");
  let timer = null;
  let latest = 0;
  const find = async () => {
    const asked = ++latest;
    const q = search.value.trim();
    if (!q) {
      results.replaceChildren();
      return;
    }
    const answer = await api("GET", `/api/v1/catalogue/misconceptions?limit=8&q=${encodeURIComponent(q)}`);
    if (asked !== latest) return;
    results.replaceChildren();
    if (!answer.ok) {
      say(state, answer.error.message, true);
      return;
    }
    for (const card of answer.data.items.filter((c) => c.id !== entryId)) {
      const item = document.createElement("li");
      const choose = document.createElement("button");
      choose.type = "button";
      choose.className = "button button--small merge-choice";
      choose.textContent = card.statement;
      choose.addEventListener("click", () => merge(card));
      item.append(choose);
      results.append(item);
    }
    if (!results.children.length) say(state, "No other entry matches.");
    else say(state, "");
  };
  // Choosing an entry asks once more on the page (not a dialog): a merge is undone
  // by no button, so the curator sees both statements before it happens.
  let chosen = null;
  const merge = (card) => {
    chosen = card;
    byId("merge-into").textContent = card.statement;
    byId("merge-confirm").hidden = false;
    byId("merge-go").focus();
  };
  byId("merge-go").addEventListener("click", async () => {
    if (!chosen) return;
    say(state, "Merging…");
    const answer = await api("POST", curation("merge"), { into: chosen.id });
    if (answer.ok) reloadAt(answer.data?.id ?? chosen.id);
    else say(state, answer.error?.message ?? "That did not merge.", true);
  });
  byId("merge-cancel").addEventListener("click", () => {
    chosen = null;
    byId("merge-confirm").hidden = true;
  });
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(find, SEARCH_DEBOUNCE_MS);
  });
}

// --- hide a quote -----------------------------------------------------------------------

function setUpHiding() {
  const form = byId("hide-form");
  let noteId = null;
  for (const button of document.querySelectorAll("button.hide-quote")) {
    button.addEventListener("click", () => {
      noteId = button.dataset.noteId;
      const quote = button.closest(".quote").querySelector(".quote__text");
      byId("hide-quote-text").textContent = quote.textContent;
      form.hidden = false;
      byId("hide-reason").focus();
    });
  }
  byId("hide-cancel").addEventListener("click", () => {
    form.hidden = true;
    noteId = null;
  });
  byId("hide-confirm").addEventListener("click", async () => {
    const state = byId("hide-state");
    const reason = byId("hide-reason").value.trim();
    if (!reason) {
      say(state, "Please say why the quote is hidden.", true);
      return;
    }
    const answer = await api("POST", curation("hidden-quotes"), { note_id: noteId, reason });
    if (answer.ok) reloadAt(entryId);
    else say(state, answer.error?.message ?? "That did not hide the quote.", true);
  });
}

loadHistory();
if (byId("curate")) {
  setUpEditing();
  setUpMerging();
  setUpHiding();
}
entry.dataset.ready = "true"; // the controls answer from now on (tests wait for it)
