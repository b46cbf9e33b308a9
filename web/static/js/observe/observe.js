// The observer's page: tap a seat, a kind and a tag, type, send. Every note goes to the
// outbox first (store.js) and then over the socket (live.js); the feed shows everyone's
// notes merged by id (notebook.js), and this observer's unsent ones marked as waiting.
// A photo waits on the device (photos.js) until it is uploaded; then its note is sent.
// "My focus" marks the seats or groups this observer follows: they are offered first.

import { autogrow, uuid } from "../api.js";
import { noteItem } from "./feed.js";
import { connectTeaching } from "./live.js";
import { Notebook } from "./notebook.js";
import { keepForOffline } from "./offline.js";
import { PhotoQueue, photoProblem } from "./photos.js";
import { Outbox } from "./store.js";

const form = document.getElementById("compose");
const teachingId = form.dataset.teachingId;
const outbox = new Outbox(teachingId);
const notebook = new Notebook();
const photos = new PhotoQueue(teachingId);
const previews = new Map(); // note id -> object URL of its photo still on this device
const storing = new Set(); // note ids whose photo is being written to IndexedDB
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
  focus: [], // the codes this observer follows
  choosingFocus: false,
  photo: null, // the checked file to attach to the next note
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
  drawFocus();
}

// --- my focus: the seats or groups this observer follows ------------------------------
const isGroup = (code) => Object.hasOwn(state.teaching?.class_layout ?? {}, code);

function drawFocus() {
  const row = $("focus-row");
  const chips = state.focus.map((code) => {
    const button = chip(code, { subjectKind: isGroup(code) ? "group" : "seat", subjectCode: code });
    button.classList.add("ob-chip--focus");
    return button;
  });
  row.replaceChildren(...chips);
  row.hidden = chips.length === 0 || state.choosingFocus;
  const choosing = state.choosingFocus;
  $("focus-mode").textContent = choosing ? "Done choosing focus" : "My focus";
  $("focus-mode").setAttribute("aria-pressed", String(choosing));
  $("focus-help").hidden = !choosing;
  $("seats").classList.toggle("ob-seats--choosing", choosing);
  for (const button of $("seats").querySelectorAll("[data-subject-code]")) {
    button.classList.toggle("ob-chip--focus", state.focus.includes(button.dataset.subjectCode));
  }
  markSubject();
}

function toggleFocus(code) {
  state.focus = state.focus.includes(code) ? state.focus.filter((c) => c !== code) : [...state.focus, code];
  // Kept in the outbox like a note, so a choice made offline is sent on reconnect;
  // the same id each time, so only the latest choice waits.
  outbox.put({ id: "focus", event: "teaching:focus", payload: { teaching_id: teachingId, codes: state.focus } });
  drawFocus();
  live.flush();
}

// The server's record of my focus, unless a choice made here has not reached it yet.
function adoptFocus(teaching) {
  const pending = outbox.items().find((item) => item.id === "focus");
  if (pending) {
    state.focus = [...pending.payload.codes];
    return;
  }
  const mine = teaching?.focus?.[state.you?.person_id];
  if (Array.isArray(mine)) state.focus = [...mine];
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
  showFiling();
  pressed(form.querySelectorAll("[data-subject-kind]"), (b) => {
    // While choosing focus, a seat is "pressed" when it is followed.
    if (state.choosingFocus && $("seats").contains(b)) return state.focus.includes(b.dataset.subjectCode);
    return b.dataset.subjectKind === state.subjectKind && (b.dataset.subjectCode ?? null) === (state.subjectCode ?? null);
  });
}

form.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.id === "focus-mode") {
    state.choosingFocus = !state.choosingFocus;
    drawFocus();
  } else if (state.choosingFocus && button.dataset.subjectCode && $("seats").contains(button)) {
    toggleFocus(button.dataset.subjectCode);
  } else if (button.dataset.subjectKind) {
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
  showFiling();
}

// What the next note is filed under, shown in the dock beside the text: the chart may
// have scrolled away, and a note filed under the wrong seat is wrong evidence.
function showFiling() {
  const subject = { teacher: "Teacher", whole_class: "Whole class" }[state.subjectKind] ?? state.subjectCode;
  const index = state.steps.findIndex((step) => step.id === $("step").value);
  $("filing").textContent = index < 0 ? `→ ${subject}` : `→ ${subject} · step ${index + 1}`;
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
// {photoId}, or {refused: message} when the server will never take it, or {} to try later.
async function uploadPhoto(blob, name) {
  const body = new FormData();
  body.append("photo", blob, name || "photo");
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  try {
    const response = await fetch(`/api/v1/teachings/${teachingId}/photos`, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => null);
    if (response.ok) return { photoId: data.photo_id };
    const later = response.status >= 500 || [401, 403, 429].includes(response.status);
    return later ? {} : { refused: data?.error?.message ?? "the photo was refused" };
  } catch {
    return {}; // no connection: the photo stays queued
  }
}

// Runs before each outbox item is sent: a note whose photo waits on this device is
// held back until the photo is uploaded and its photo_id is in the note.
async function prepare(item) {
  if (item.photo !== "queued") return item;
  const noteId = item.payload.note_id;
  if (storing.has(noteId)) return null; // still being written; send() flushes after
  const kept = await photos.get(noteId).catch(() => null);
  if (!kept) return withoutPhoto(item, "the photo was not kept on this device");
  const { photoId, refused } = await uploadPhoto(kept.blob, kept.name);
  if (refused) return withoutPhoto(item, refused);
  if (!photoId) return null;
  const ready = { ...item, photo: "uploaded", payload: { ...item.payload, photo_id: photoId } };
  outbox.replace(ready);
  await photos.remove(noteId).catch(() => {});
  return ready;
}

function withoutPhoto(item, why) {
  showError(`Photo not attached: ${why}. The note is sent without it.`);
  const plain = { ...item, photo: undefined };
  outbox.replace(plain);
  photos.remove(item.payload.note_id).catch(() => {});
  return plain;
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
  const file = state.photo;
  const item = { id: `${payload.note_id}:record`, event: "note:record", payload };
  if (file) {
    item.photo = "queued";
    storing.add(payload.note_id);
    previews.set(payload.note_id, URL.createObjectURL(file));
    clearPhoto();
  }
  // Stored before anything else that could fail: the text is what must not be lost.
  outbox.put(item);
  $("text").value = "";
  fitText();
  state.responses.clear();
  state.unanticipated = false;
  markTags();
  $("text").focus();
  if (file) {
    try {
      await photos.put(payload.note_id, file);
    } catch {
      withoutPhoto(item, "this device could not keep it");
    } finally {
      storing.delete(payload.note_id);
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
// The text box grows with what is typed (up to a limit in the CSS), and the page keeps
// room under its content for the dock, however tall the dock has become.
const fitText = autogrow($("text"));
const dock = document.querySelector(".ob-dock");
new ResizeObserver(() => document.body.style.setProperty("--dock-height", `${dock.offsetHeight}px`)).observe(dock);
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
function clearPhoto() {
  state.photo = null;
  $("photo").value = "";
  $("photo-name").textContent = "";
  $("photo-name").hidden = true;
  $("photo-label").classList.remove("ob-photo--set");
}

// Checked when chosen, before anything is queued: a photo the server would refuse must
// not wait on the device for hours only to fail on reconnect.
$("photo").addEventListener("change", async () => {
  const file = $("photo").files?.[0];
  if (!file) return clearPhoto();
  const problem = await photoProblem(file);
  if (problem) {
    clearPhoto();
    showError(problem);
    return;
  }
  showError("");
  state.photo = file;
  $("photo-name").textContent = `Photo to attach: ${file.name}`;
  $("photo-name").hidden = false;
  $("photo-label").classList.add("ob-photo--set");
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
      photoUrl: previews.get(payload.note_id),
    });
    item.classList.add("ob-note--waiting");
    items.push(item);
  }
  items.reverse(); // newest first: what was just said is at the top
  $("feed").replaceChildren(...items);
  $("feed-count").textContent = `(${items.length})`;
}

function showWaiting(items) {
  // Notes, amendments and retractions: what the observer wrote (not a focus choice).
  const count = items.filter((item) => item.event.startsWith("note:")).length;
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

// The lesson as last joined, kept on the device: a page reloaded in a dead spot still
// has its seating chart, steps and tags, so the observer can go on writing.
const lessonKey = `lessonstudy.lesson.${teachingId}`;

function remember(ack) {
  try {
    // Not the join code: it admits guests, and this copy outlives the lesson.
    const teaching = { ...ack.teaching, join_code: null };
    localStorage.setItem(lessonKey, JSON.stringify({ teaching, you: ack.you }));
  } catch {
    // A full storage only costs the offline start; the outbox has its own entry.
  }
}

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(lessonKey) ?? "null");
  } catch {
    return null;
  }
}

function showTeaching(ack) {
  state.teaching = ack.teaching;
  state.steps = ack.teaching.steps ?? [];
  state.you = ack.you;
  for (const [id, person] of Object.entries(ack.teaching.people ?? {})) state.names[id] = person.name;
  const keep = $("step").value;
  adoptFocus(ack.teaching);
  drawSeats();
  drawSteps();
  if (state.stepChosenByHand && keep) {
    $("step").value = keep;
    drawTags();
  }
  lessonLine();
  render();
}

const live = connectTeaching({
  teachingId,
  notebook,
  outbox,
  onJoined(ack) {
    remember(ack);
    showTeaching(ack);
    // Counted among the observers on the instructor's page (every connect is new).
    live.emit("teaching:presence", { teaching_id: teachingId });
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
    if (message.change === "focus") {
      adoptFocus(state.teaching);
      drawFocus();
    }
    lessonLine();
  },
  prepare,
  onRefused(error) {
    // Not admitted, or removed from the team while here: notes stay queued on this device.
    showError(`Not connected: ${error.message ?? "you are no longer on this lesson's team"}`);
  },
  onAck(item, ack) {
    const url = previews.get(item.payload.note_id);
    if (ack.ok && url && item.event === "note:record") {
      previews.delete(item.payload.note_id); // the feed shows the stored photo now
      URL.revokeObjectURL(url);
    }
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

// Photos still waiting from an earlier visit: shown in the feed from this device.
async function showQueuedPhotos() {
  for (const item of outbox.items()) {
    if (item.photo !== "queued" || previews.has(item.payload.note_id)) continue;
    const kept = await photos.get(item.payload.note_id).catch(() => null);
    if (kept) previews.set(item.payload.note_id, URL.createObjectURL(kept.blob));
  }
  render();
}

const last = remembered();
if (last?.teaching) showTeaching(last); // until the first join brings it fresh
showWaiting(outbox.items());
render();
showQueuedPhotos();
keepForOffline();
