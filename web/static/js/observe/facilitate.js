// The projector: everyone's notes as a timeline by plan step (or by seat), in type big
// enough to read from the back of the room. It only reads, so it keeps no outbox.

import { offsetLabel, subjectLabel } from "./feed.js";
import { connectTeaching } from "./live.js";
import { Notebook } from "./notebook.js";
import { readOnlyOutbox } from "./store.js";

const board = document.getElementById("timeline");
const teachingId = board.dataset.teachingId;
const notebook = new Notebook();
let steps = [];
let teaching = null;
let view = "step";

function card(note) {
  const li = document.createElement("li");
  li.className = "ob-card";
  if (note.retracted) li.classList.add("ob-note--retracted");
  const meta = document.createElement("span");
  meta.className = "ob-card__meta";
  meta.textContent = `${offsetLabel(note)} · ${subjectLabel(note)}${note.unanticipated ? " · unanticipated" : ""}`;
  const text = document.createElement("span");
  text.className = "ob-card__text";
  text.textContent = note.text;
  li.append(meta, text);
  return li;
}

function column(title, notes, current) {
  const section = document.createElement("section");
  section.className = "ob-column";
  if (current) section.classList.add("ob-column--current");
  const h = document.createElement("h2");
  h.textContent = title;
  const list = document.createElement("ol");
  list.append(...notes.map(card));
  section.append(h, list);
  return section;
}

function render() {
  const notes = notebook.list().filter((n) => !n.retracted);
  const columns = [];
  if (view === "step") {
    steps.forEach((step, i) => {
      const title = `${i + 1}. ${step.activity || step.key_question || "Step"}`;
      columns.push(column(title, notes.filter((n) => n.step_id === step.id), step.id === teaching?.current_step_id));
    });
  } else {
    const subjects = new Map();
    for (const note of notes) {
      const label = subjectLabel(note);
      if (!subjects.has(label)) subjects.set(label, []);
      subjects.get(label).push(note);
    }
    for (const [label, list] of [...subjects].sort((a, b) => a[0].localeCompare(b[0]))) {
      columns.push(column(label, list, false));
    }
  }
  board.replaceChildren(...columns);
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
    document.getElementById("lesson-line").textContent = ack.teaching.class_label;
    render();
  },
  onTeaching(message) {
    teaching = { ...teaching, ...message.teaching };
    render();
  },
});
