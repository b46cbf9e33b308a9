// The observer's page: tap a seat, a kind and a tag, type, send. Every note goes to the
// outbox first (store.js) and then over the socket (live.js); the feed shows everyone's
// notes merged by id (notebook.js), and this observer's unsent ones marked as waiting.

import { uuid } from "../api.js";
import { noteItem } from "./feed.js";
import { connectTeaching } from "./live.js";
import { Notebook } from "./notebook.js";
import { keepForOffline } from "./offline.js";
import { Outbox } from "./store.js";

const form = document.getElementById("compose");
const teachingId = form.dataset.teachingId;
const outbox = new Outbox(teachingId);
const notebook = new Notebook();
const $ = (id) => document.getElementById(id);

const state = {
  teaching: null,
  steps: [],
  you: null,
  names: {},
  subjectKind: "whole_class",
  subjectCode: null,
  kind: "student_talk",
  responses: new Set(),
  unanticipated: false,
  stepChosenByHand: false,
};

function pressed(buttons, predicate) {
  for (const button of buttons) button.setAttribute("aria-pressed", String(predicate(button)));
}

// --- the seating chart, from the class layout {group: [seats]} ---------------------
function drawSeats() {
  const box = $("seats");
  box.replaceChildren();
  const layout = state.teaching?.class_layout ?? {};
  for (const [group, seats] of Object.entries(layout)) {
    const row = document.createElement("div");
    row.className = "ob-seat-group";
    const groupButton = chip(group, { subjectKind: "group", subjectCode: group });
    groupButton.classList.add("ob-chip--group");
    row.append(groupButton);
    for (const seat of seats) row.append(chip(seat, { subjectKind: "seat", subjectCode: seat }));
    box.append(row);
  }
  markSubject();
}

function chip(text, data) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "ob-chip";
  button.textContent = text;
  button.dataset.subjectKind = data.subjectKind;
  button.dataset.subjectCode = data.subjectCode;
  return button;
}

function markSubject() {
  pressed(form.querySelectorAll("[data-subject-kind]"), (b) =>
    b.dataset.subjectKind === state.subjectKind && (b.dataset.subjectCode ?? null) === (state.subjectCode ?? null),
  );
}

form.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.dataset.subjectKind) {
    state.subjectKind = button.dataset.subjectKind;
    state.subjectCode = button.dataset.subjectCode ?? null;
    markSubject();
  } else if (button.dataset.kind) {
    state.kind = button.dataset.kind;
    pressed(form.querySelectorAll("[data-kind]"), (b) => b.dataset.kind === state.kind);
  } else if (button.dataset.response) {
    const id = button.dataset.response;
    if (state.responses.has(id)) state.responses.delete(id);
    else state.responses.add(id);
    state.unanticipated = false; // the server refuses both together
    markTags();
  } else if (button.dataset.unanticipated !== undefined) {
    state.unanticipated = !state.unanticipated;
    if (state.unanticipated) state.responses.clear();
    markTags();
  }
});

// --- the step and its anticipated responses -----------------------------------------
function drawSteps() {
  const select = $("step");
  select.replaceChildren();
  state.steps.forEach((step, index) => {
    const option = document.createElement("option");
    option.value = step.id;
    option.textContent = `${index + 1}. ${step.activity || step.key_question || "Step"}`.slice(0, 80);
    select.append(option);
  });
  if (state.teaching?.current_step_id) select.value = state.teaching.current_step_id;
  drawTags();
}

function currentStep() {
  return state.steps.find((step) => step.id === $("step").value);
}

function drawTags() {
  const box = $("tags");
  box.replaceChildren();
  for (const response of currentStep()?.responses ?? []) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "ob-chip ob-tag";
    if (response.kind === "misconception") button.classList.add("ob-tag--misconception");
    button.dataset.response = response.id;
    button.textContent = (response.kind === "misconception" ? "⚠ " : "✓ ") + response.text;
    button.title = response.kind === "misconception" ? "Anticipated misconception" : "Anticipated correct strategy";
    box.append(button);
  }
  const other = document.createElement("button");
  other.type = "button";
  other.className = "ob-chip ob-tag ob-tag--new";
  other.dataset.unanticipated = "";
  other.textContent = "Unanticipated";
  box.append(other);
  state.responses.clear();
  state.unanticipated = false;
  markTags();
}

function markTags() {
  for (const button of $("tags").querySelectorAll("button")) {
    const on = button.dataset.response ? state.responses.has(button.dataset.response) : state.unanticipated;
    button.setAttribute("aria-pressed", String(on));
  }
}

$("step").addEventListener("change", () => {
  state.stepChosenByHand = true;
  drawTags();
});

// --- sending ------------------------------------------------------------------------
async function uploadPhoto(file) {
  const body = new FormData();
  body.append("photo", file);
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  try {
    const response = await fetch(`/api/v1/teachings/${teachingId}/photos`, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) return { error: data?.error?.message ?? "the photo was refused" };
    return { photoId: data.photo_id };
  } catch {
    return { error: "no connection: the note is kept without its photo" };
  }
}

function showError(message) {
  const box = $("compose-error");
  box.textContent = message ?? "";
  box.hidden = !message;
}

async function send() {
  const text = $("text").value.trim();
  if (!text) {
    showError("Write what you saw or heard first.");
    $("text").focus();
    return;
  }
  const step = currentStep();
  if (!step) {
    showError("The plan has no steps to file this note under.");
    return;
  }
  showError("");
  const misconceptions = (step.responses ?? [])
    .filter((r) => state.responses.has(r.id) && r.misconception_id)
    .map((r) => r.misconception_id);
  const payload = {
    teaching_id: teachingId,
    note_id: uuid(),
    recorded_at: new Date().toISOString(),
    subject_kind: state.subjectKind,
    kind: state.kind,
    text,
    step_id: step.id,
    response_ids: [...state.responses],
    misconception_ids: misconceptions,
    unanticipated: state.unanticipated,
  };
  if (state.subjectCode && (state.subjectKind === "seat" || state.subjectKind === "group")) {
    payload.subject_code = state.subjectCode;
  }
  const file = $("photo").files?.[0];
  // Stored before anything else that could fail: the text is what must not be lost.
  outbox.put({ id: `${payload.note_id}:record`, event: "note:record", payload });
  $("text").value = "";
  state.responses.clear();
  state.unanticipated = false;
  markTags();
  $("text").focus();
  if (file) {
    $("photo").value = "";
    $("photo-name").hidden = true;
    const { photoId, error } = await uploadPhoto(file);
    if (photoId) {
      const queued = outbox.items().find((item) => item.id === `${payload.note_id}:record`);
      if (queued) {
        outbox.put({ ...queued, payload: { ...queued.payload, photo_id: photoId } });
      } else {
        queueAmend(payload.note_id, { photo_id: photoId });
      }
    } else {
      showError(`Photo not attached: ${error}`);
    }
  }
  live.flush();
}

function queueAmend(noteId, changes) {
  outbox.put({ id: `${noteId}:amend:${uuid()}`, event: "note:amend", payload: { teaching_id: teachingId, note_id: noteId, changes } });
  live.flush();
}

function queueRetract(noteId) {
  outbox.put({ id: `${noteId}:retract`, event: "note:retract", payload: { teaching_id: teachingId, note_id: noteId } });
  live.flush();
}

$("send").addEventListener("click", send);
$("text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && $("enter-sends").checked && !event.isComposing) {
    event.preventDefault();
    send();
  }
});
// The nudge is a suggestion about the last note: it steps aside once the next is begun.
$("text").addEventListener("input", () => {
  if ($("text").value.length > 3) $("nudge").hidden = true;
});
$("photo").addEventListener("change", () => {
  const file = $("photo").files?.[0];
  $("photo-name").textContent = file ? `Photo to attach: ${file.name}` : "";
  $("photo-name").hidden = !file;
});

// --- the feed -----------------------------------------------------------------------
function who(note) {
  if (note.observer_id === state.you?.person_id) return "you";
  return state.names[note.observer_id] ?? "an observer";
}

function tagsOf(note) {
  const step = state.steps.find((s) => s.id === note.step_id);
  const tags = (note.response_ids ?? []).map((id) => step?.responses?.find((r) => r.id === id)?.text ?? "a response");
  if (note.unanticipated) tags.push("unanticipated");
  if (note.retracted) tags.push("retracted");
  return tags;
}

function ownActions(note) {
  return (box) => {
    if (note.retracted) return;
    const edit = document.createElement("button");
    edit.type = "button";
    edit.className = "ob-chip ob-chip--small";
    edit.textContent = "Amend";
    edit.addEventListener("click", () => startAmend(box.closest("li"), note));
    const retract = document.createElement("button");
    retract.type = "button";
    retract.className = "ob-chip ob-chip--small";
    retract.textContent = "Retract";
    // A second tap confirms: no dialog in the middle of a lesson.
    retract.addEventListener("click", () => {
      if (retract.dataset.armed) queueRetract(note.note_id);
      else {
        retract.dataset.armed = "yes";
        retract.textContent = "Tap again to retract";
      }
    });
    box.append(edit, retract);
  };
}

function startAmend(item, note) {
  const area = document.createElement("textarea");
  area.className = "ob-text ob-text--amend";
  area.value = note.text;
  area.setAttribute("aria-label", "Amended text");
  const save = document.createElement("button");
  save.type = "button";
  save.className = "button button--primary";
  save.textContent = "Save";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "ob-chip ob-chip--small";
  cancel.textContent = "Cancel";
  const done = () => {
    area.remove(); // editing is over: let the feed redraw
    render();
  };
  save.addEventListener("click", () => {
    const text = area.value.trim();
    area.remove();
    if (text && text !== note.text) queueAmend(note.note_id, { text });
    done();
  });
  cancel.addEventListener("click", done);
  item.querySelector(".ob-note__text").replaceWith(area);
  item.querySelector(".ob-note__actions").replaceChildren(save, cancel);
  area.focus();
}

const editing = () => document.querySelector("#feed textarea") !== null;

function render() {
  if (editing()) return; // do not throw away an amendment being typed
  const waiting = new Map();
  for (const item of outbox.items()) {
    if (item.event === "note:record") waiting.set(item.payload.note_id, item.payload);
  }
  const items = [];
  for (const note of notebook.list()) {
    const queued = outbox.items().some((i) => i.payload.note_id === note.note_id);
    items.push(noteItem(note, {
      who: who(note),
      state: queued ? "waiting to send" : "",
      tags: tagsOf(note),
      actions: note.observer_id === state.you?.person_id ? ownActions(note) : null,
    }));
    waiting.delete(note.note_id);
  }
  for (const payload of waiting.values()) {
    const item = noteItem({ ...payload, offset_seconds: null, observer_id: state.you?.person_id }, {
      who: "you",
      state: "waiting to send",
      tags: tagsOf(payload),
      actions: null,
    });
    item.classList.add("ob-note--waiting");
    items.push(item);
  }
  items.reverse(); // newest first: what was just said is at the top
  $("feed").replaceChildren(...items);
  $("feed-count").textContent = `(${items.length})`;
}

function showWaiting(items) {
  const count = items.length;
  const badge = $("waiting");
  badge.dataset.count = String(count);
  badge.textContent = count === 0 ? "All notes sent" : `${count} waiting to send`;
  badge.classList.toggle("ob-waiting--some", count > 0);
}

outbox.onChange((items) => {
  showWaiting(items);
  render();
});
notebook.onChange(render);

// --- the room -----------------------------------------------------------------------
function lessonLine() {
  const t = state.teaching;
  if (!t) return;
  const status = { scheduled: "not started yet", started: "in progress", ended: "ended" }[t.status] ?? t.status;
  $("lesson-line").textContent = `${t.class_label} · ${status}`;
}

const live = connectTeaching({
  teachingId,
  notebook,
  outbox,
  onJoined(ack) {
    state.teaching = ack.teaching;
    state.steps = ack.teaching.steps ?? [];
    state.you = ack.you;
    for (const [id, person] of Object.entries(ack.teaching.people ?? {})) state.names[id] = person.name;
    const keep = $("step").value;
    drawSeats();
    drawSteps();
    if (state.stepChosenByHand && keep) {
      $("step").value = keep;
      drawTags();
    }
    lessonLine();
    render();
  },
  onTeaching(message) {
    const before = state.teaching?.current_step_id;
    state.teaching = { ...state.teaching, ...message.teaching };
    for (const [id, guest] of Object.entries(message.teaching?.guests ?? {})) state.names[id] = guest.name;
    // The current step follows the lesson: a move by the teacher preselects it again.
    if (message.change === "step" && message.teaching.current_step_id !== before) {
      state.stepChosenByHand = false;
      $("step").value = message.teaching.current_step_id;
      drawTags();
    }
    lessonLine();
  },
  onAck(item, ack) {
    if (ack.error) {
      // Refused as written (4xx): give the text back to fix rather than lose it.
      showError(`Not stored: ${ack.error.message}`);
      const dropped = !outbox.items().some((queued) => queued.id === item.id);
      if (dropped && item.event === "note:record" && !$("text").value) $("text").value = item.payload.text;
    }
    const nudge = $("nudge");
    if (ack.nudge) {
      nudge.textContent = ack.nudge;
      nudge.hidden = false;
    } else if (ack.ok && item.event === "note:record") {
      nudge.hidden = true;
    }
  },
});

showWaiting(outbox.items());
render();
keepForOffline();
