// The projector: everyone's notes as a timeline by plan step (or by seat), in type big
// enough to read from the back of the room. Each note says when, about whom, what kind,
// who wrote it, which anticipated response it matched (or that nobody anticipated it),
// and shows its photo; above the notes, whom each observer follows. It only reads, so
// it keeps no outbox. User text goes in through textContent only.

import { kindLabel, offsetLabel, subjectLabel } from "./feed.js";
import { connectTeaching } from "./live.js";
import { Notebook } from "./notebook.js";
import { readOnlyOutbox } from "./store.js";

const board = document.getElementById("timeline");
const teachingId = board.dataset.teachingId;
const notebook = new Notebook();
let steps = [];
let teaching = null;
let people = {}; // person id -> {name}: the team's, from the join ack
let view = "step";

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

// Names of members come with the join ack; guests who join later come with the
// teaching's "guests" change.
function nameOf(personId) {
  return people[personId]?.name ?? teaching?.guests?.[personId]?.name ?? "an observer";
}

// The anticipated responses a note matched, looked up in its own step first.
function matchedResponses(note) {
  const own = steps.find((step) => step.id === note.step_id);
  const every = [own, ...steps.filter((step) => step !== own)].filter(Boolean);
  return (note.response_ids ?? []).map((id) => {
    for (const step of every) {
      const found = (step.responses ?? []).find((response) => response.id === id);
      if (found) return found;
    }
    return { id, kind: "", text: "an anticipated response" };
  });
}

function tagLine(note) {
  const line = element("span", "ob-card__tags");
  for (const response of matchedResponses(note)) {
    const misconception = response.kind === "misconception";
    const tag = element("span", `ob-card__tag${misconception ? " ob-card__tag--misconception" : ""}`, response.text);
    tag.title = misconception ? "Anticipated misconception" : "Anticipated response";
    line.append(tag);
  }
  if (note.unanticipated) line.append(element("span", "ob-card__tag ob-card__tag--new", "unanticipated"));
  return line.childElementCount ? line : null;
}

function card(note) {
  const li = element("li", "ob-card");
  li.dataset.noteId = note.note_id;
  if (note.retracted) li.classList.add("ob-note--retracted");
  const parts = [offsetLabel(note), view === "seat" ? null : subjectLabel(note), kindLabel(note), nameOf(note.observer_id)];
  const meta = element("span", "ob-card__meta", parts.filter(Boolean).join(" · "));
  const text = element("span", "ob-card__text", note.text);
  li.append(meta, text);
  const tags = tagLine(note);
  if (tags) li.append(tags);
  if (note.photo_id) {
    const img = element("img", "ob-card__photo");
    img.alt = `Photo of student work (${subjectLabel(note)})`;
    img.loading = "lazy";
    img.src = `/api/v1/teachings/${encodeURIComponent(teachingId)}/photos/${encodeURIComponent(note.photo_id)}`;
    li.append(img);
  }
  return li;
}

function column(title, notes, { current = false, followers = [] } = {}) {
  const section = element("section", "ob-column");
  if (current) section.classList.add("ob-column--current");
  section.append(element("h2", "", title));
  if (followers.length) section.append(element("p", "ob-column__followers", `followed by ${followers.join(", ")}`));
  const list = element("ol");
  list.append(...notes.map(card));
  section.append(list);
  return section;
}

// Observers with a focus, by name: [[name, [codes]], ...].
function focusByObserver() {
  return Object.entries(teaching?.focus ?? {})
    .filter(([, codes]) => codes?.length)
    .map(([personId, codes]) => [nameOf(personId), codes])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

function renderFocus() {
  const list = document.getElementById("focus-list");
  const chosen = focusByObserver();
  if (!chosen.length) {
    list.replaceChildren(element("li", "muted", "No observer has chosen whom to follow yet."));
    return;
  }
  list.replaceChildren(...chosen.map(([name, codes]) => {
    const li = element("li", "ob-follows");
    li.append(element("strong", "ob-follows__who", name), element("span", "ob-follows__codes", codes.join(", ")));
    return li;
  }));
}

// Seats and groups in the class layout's order (each group, then its seats), then
// notes about the teacher or the whole class, then any code the layout lacks.
function seatOrder() {
  const order = [];
  for (const [group, seats] of Object.entries(teaching?.class_layout ?? {})) order.push(group, ...seats);
  return order;
}

function bySeat(notes) {
  const followers = new Map();
  for (const [name, codes] of focusByObserver()) {
    for (const code of codes) followers.set(code, [...(followers.get(code) ?? []), name]);
  }
  const groups = new Map();
  for (const note of notes) {
    const label = subjectLabel(note);
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(note);
  }
  for (const code of followers.keys()) if (!groups.has(code)) groups.set(code, []);
  const order = seatOrder();
  const rank = (label) => {
    const at = order.indexOf(label);
    return at >= 0 ? at : order.length + (label === "Teacher" ? 0 : label === "Whole class" ? 1 : 2);
  };
  return [...groups]
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))
    .map(([label, list]) => column(label, list, { followers: followers.get(label) ?? [] }));
}

function render() {
  const notes = notebook.list().filter((n) => !n.retracted);
  board.dataset.view = view;
  if (view === "step") {
    board.replaceChildren(...steps.map((step, i) => column(
      `${i + 1}. ${step.activity || step.key_question || "Step"}`,
      notes.filter((n) => n.step_id === step.id),
      { current: step.id === teaching?.current_step_id },
    )));
  } else {
    board.replaceChildren(...bySeat(notes));
  }
  renderFocus();
}

for (const button of document.querySelectorAll("[data-view]")) {
  button.addEventListener("click", () => {
    view = button.dataset.view;
    for (const b of document.querySelectorAll("[data-view]")) b.setAttribute("aria-pressed", String(b === button));
    render();
  });
}

notebook.onChange(render);
connectTeaching({
  teachingId,
  notebook,
  outbox: readOnlyOutbox,
  onJoined(ack) {
    teaching = ack.teaching;
    steps = ack.teaching.steps ?? [];
    people = ack.teaching.people ?? {};
    document.getElementById("lesson-line").textContent = `· ${ack.teaching.class_label}`;
    render();
  },
  onTeaching(message) {
    teaching = { ...teaching, ...message.teaching };
    render();
  },
});
