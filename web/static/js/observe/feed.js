// The feed: one note as a feed item (shared with the projector's labels) and the
// observer's list of everyone's notes, newest first, with this observer's unsent ones
// marked as waiting and their own notes' Amend and Retract. An amendment can re-file a
// note: its text, step, subject (Teacher, Whole class, a group or seat) and tags. Shows
// notes as text only: every piece of user text goes through textContent, never
// innerHTML, so a note that contains markup is shown, not run.

import { clone } from "../api.js";
import { rovingFocus } from "./keyboard.js";

const SUBJECTS = { teacher: "Teacher", whole_class: "Whole class" };
const KINDS = { student_talk: "said", student_work: "did", teacher_move: "teacher move", mode_change: "mode change" };

export function subjectLabel(note) {
  return SUBJECTS[note.subject_kind] ?? note.subject_code ?? "";
}

export function offsetLabel(note) {
  const seconds = Math.max(0, Math.round(note.offset_seconds ?? 0));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export function kindLabel(note) {
  return KINDS[note.kind] ?? "";
}

// One feed item; `step` names the note's step ("step 2"); `actions` adds the buttons for
// one's own notes; `photoUrl` shows a photo still waiting on this device (an object URL
// of the queued image).
export function noteItem(note, { who, state, tags, actions, photoUrl, step }) {
  const item = clone("note-item");
  item.dataset.noteId = note.note_id;
  item.querySelector(".ob-note__subject").textContent = subjectLabel(note);
  item.querySelector(".ob-note__step").textContent = step ?? "";
  item.querySelector(".ob-note__who").textContent = `${who} · ${kindLabel(note)}`;
  item.querySelector(".ob-note__time").textContent = offsetLabel(note);
  item.querySelector(".ob-note__state").textContent = state ?? "";
  item.querySelector(".ob-note__text").textContent = note.text;
  const tagLine = item.querySelector(".ob-note__tags");
  tagLine.textContent = tags.join(" · ");
  tagLine.hidden = tags.length === 0;
  if (note.photo_id || photoUrl) {
    const img = document.createElement("img");
    img.className = "ob-note__photo";
    img.alt = "Photo of student work";
    img.loading = "lazy";
    img.src = note.photo_id
      ? `/api/v1/teachings/${encodeURIComponent(note.teaching_id)}/photos/${encodeURIComponent(note.photo_id)}`
      : photoUrl;
    item.insertBefore(img, item.querySelector(".ob-note__actions"));
  }
  if (note.retracted) item.classList.add("ob-note--retracted");
  if (actions) actions(item.querySelector(".ob-note__actions"));
  return item;
}

// The observer page's feed. It owns who is who (names by person id, and which one is
// this observer) and the steps it names tags by; it reads the notes from the notebook
// (notebook.js) and what still waits from `outgoing` (outgoing.js), where an amendment
// or a retraction made here goes.
export class Feed {
  constructor({ notebook, outgoing }) {
    this.notebook = notebook;
    this.outgoing = outgoing;
    this.you = null;
    this.names = {};
    this.steps = [];
    this.layout = {}; // the class layout {group: [seats]}, to re-file a note under
    outgoing.onChange(() => this.render());
    notebook.onChange(() => this.render());
  }

  // People or guests, {person id: {name}}, added to the names the feed knows.
  know(people) {
    for (const [id, person] of Object.entries(people ?? {})) this.names[id] = person.name;
  }

  showLesson({ you, steps, layout }) {
    this.you = you;
    this.steps = steps;
    this.layout = layout ?? {};
    this.render();
  }

  stepLabel(note) {
    const index = this.steps.findIndex((s) => s.id === note.step_id);
    return index < 0 ? "" : `step ${index + 1}`;
  }

  who(note) {
    if (note.observer_id === this.you?.person_id) return "you";
    return this.names[note.observer_id] ?? "an observer";
  }

  tagsOf(note) {
    const step = this.steps.find((s) => s.id === note.step_id);
    const tags = (note.response_ids ?? []).map((id) => step?.responses?.find((r) => r.id === id)?.text ?? "a response");
    if (note.unanticipated) tags.push("unanticipated");
    if (note.retracted) tags.push("retracted");
    return tags;
  }

  ownActions(note) {
    return (box) => {
      if (note.retracted) return;
      const edit = document.createElement("button");
      edit.type = "button";
      edit.className = "ob-chip ob-chip--small";
      edit.textContent = "Amend";
      edit.addEventListener("click", () => this.startAmend(box.closest("li"), note));
      const retract = document.createElement("button");
      retract.type = "button";
      retract.className = "ob-chip ob-chip--small";
      retract.textContent = "Retract";
      // A second tap confirms: no dialog in the middle of a lesson.
      retract.addEventListener("click", () => {
        if (retract.dataset.armed) this.outgoing.retract(note.note_id);
        else {
          retract.dataset.armed = "yes";
          retract.textContent = "Tap again to retract";
        }
      });
      box.append(edit, retract);
    };
  }

  // The amendment form in place of the note: its text, step, subject and tags, as now.
  startAmend(item, note) {
    const form = document.createElement("div");
    form.className = "ob-amend";
    const area = document.createElement("textarea");
    area.className = "ob-text ob-text--amend";
    area.value = note.text;
    area.setAttribute("aria-label", "Amended text");
    const step = this.stepChoice(note);
    const subject = this.subjectChoice(note);
    const tags = new AmendTags(this.steps, note);
    step.select.addEventListener("change", () => tags.showStep(step.select.value));
    form.append(area, step.label, subject.label, tags.box);

    const save = document.createElement("button");
    save.type = "button";
    save.className = "button button--primary";
    save.textContent = "Save";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "ob-chip ob-chip--small";
    cancel.textContent = "Cancel";
    const done = () => {
      form.remove(); // editing is over: let the feed redraw
      this.render();
      // Back to where the observer was, not the top of the page.
      const again = document.querySelector(`#feed [data-note-id="${CSS.escape(note.note_id)}"] button`);
      again?.focus();
    };
    save.addEventListener("click", () => {
      const changes = amendment(note, {
        text: area.value.trim(),
        stepId: step.select.value,
        subject: subject.select.value,
        ...tags.chosen(),
      });
      form.remove();
      if (Object.keys(changes).length) this.outgoing.amend(note.note_id, changes);
      done();
    });
    cancel.addEventListener("click", done);
    item.querySelector(".ob-note__text").replaceWith(form);
    item.querySelector(".ob-note__tags").hidden = true;
    item.querySelector(".ob-note__actions").replaceChildren(save, cancel);
    area.focus();
  }

  stepChoice(note) {
    const select = document.createElement("select");
    select.className = "ob-step";
    this.steps.forEach((step, index) => {
      const option = new Option(`${index + 1}. ${step.activity || step.key_question || "Step"}`.slice(0, 80), step.id);
      select.append(option);
    });
    select.value = note.step_id;
    return { select, label: labelled("Step", select) };
  }

  // Teacher, Whole class, then each group and its seats; the value is "kind:code".
  subjectChoice(note) {
    const select = document.createElement("select");
    select.className = "ob-step";
    select.append(new Option("Teacher", "teacher:"), new Option("Whole class", "whole_class:"));
    for (const [group, seats] of Object.entries(this.layout)) {
      const block = document.createElement("optgroup");
      block.label = group;
      block.append(new Option(`${group} (the group)`, `group:${group}`));
      for (const seat of seats) block.append(new Option(seat, `seat:${seat}`));
      select.append(block);
    }
    select.value = `${note.subject_kind}:${note.subject_code ?? ""}`;
    return { select, label: labelled("About", select) };
  }

  render() {
    const feed = document.getElementById("feed");
    if (feed.querySelector("textarea") !== null) return; // do not throw away an amendment being typed
    const waiting = new Map(this.outgoing.waitingNotes().map((payload) => [payload.note_id, payload]));
    const queued = this.outgoing.queuedNoteIds();
    const mine = this.you?.person_id;
    const items = [];
    for (const note of this.notebook.list()) {
      items.push(noteItem(note, {
        who: this.who(note),
        state: queued.has(note.note_id) ? "waiting to send" : "",
        tags: this.tagsOf(note),
        actions: note.observer_id === mine ? this.ownActions(note) : null,
        step: this.stepLabel(note),
      }));
      waiting.delete(note.note_id);
    }
    for (const payload of waiting.values()) {
      const item = noteItem({ ...payload, offset_seconds: null, observer_id: mine }, {
        who: "you",
        state: "waiting to send",
        tags: this.tagsOf(payload),
        actions: null,
        photoUrl: this.outgoing.preview(payload.note_id),
        step: this.stepLabel(payload),
      });
      item.classList.add("ob-note--waiting");
      items.push(item);
    }
    items.reverse(); // newest first: what was just said is at the top
    feed.replaceChildren(...items);
    document.getElementById("feed-count").textContent = `(${items.length})`;
  }
}

function labelled(words, control) {
  const label = document.createElement("label");
  label.className = "ob-amend__field";
  const name = document.createElement("span");
  name.className = "ob-label";
  name.textContent = words;
  label.append(name, control);
  return label;
}

const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

// The changes an amendment sends: only what differs from the note. The tags belong to
// a step, so a new step or new tags send the step's tags whole (the server checks them
// against the step); a new subject sends its kind and code together.
export function amendment(note, { text, stepId, subject, responseIds, misconceptionIds, unanticipated }) {
  const changes = {};
  if (text && text !== note.text) changes.text = text;
  const [kind, code] = subject.split(/:(.*)/s);
  if (kind !== note.subject_kind || (code || null) !== (note.subject_code ?? null)) {
    changes.subject_kind = kind;
    changes.subject_code = code || null;
  }
  const tagsChanged = !sameSet(responseIds, note.response_ids ?? [])
    || unanticipated !== Boolean(note.unanticipated);
  if (stepId !== note.step_id) changes.step_id = stepId;
  if (stepId !== note.step_id || tagsChanged) {
    changes.response_ids = responseIds;
    changes.misconception_ids = misconceptionIds;
    changes.unanticipated = unanticipated;
  }
  return changes;
}

// The tags of an amendment: the chosen step's anticipated responses and Unanticipated,
// as toggle buttons in a toolbar (one Tab stop), starting from the note's own.
class AmendTags {
  constructor(steps, note) {
    this.steps = steps;
    this.box = document.createElement("div");
    this.box.className = "ob-tags ob-amend__tags";
    this.box.setAttribute("role", "toolbar");
    this.box.setAttribute("aria-label", "Amended matches");
    this.bar = rovingFocus(this.box, { rows: () => [[...this.box.querySelectorAll("button")]] });
    this.stepId = note.step_id;
    this.responses = new Set(note.response_ids ?? []);
    this.unanticipated = Boolean(note.unanticipated);
    this.box.addEventListener("click", (event) => this.clicked(event));
    this.draw();
  }

  step() {
    return this.steps.find((s) => s.id === this.stepId);
  }

  // Another step: its own responses, none chosen yet (those of the old step do not fit).
  showStep(stepId) {
    this.stepId = stepId;
    this.responses.clear();
    this.draw();
  }

  draw() {
    const buttons = (this.step()?.responses ?? []).map((response) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "ob-chip ob-chip--small ob-tag";
      if (response.kind === "misconception") button.classList.add("ob-tag--misconception");
      button.dataset.response = response.id;
      button.textContent = (response.kind === "misconception" ? "⚠ " : "✓ ") + response.text;
      return button;
    });
    const other = document.createElement("button");
    other.type = "button";
    other.className = "ob-chip ob-chip--small ob-tag ob-tag--new";
    other.dataset.unanticipated = "";
    other.textContent = "Unanticipated";
    this.bar.redraw(() => this.box.replaceChildren(...buttons, other));
    this.mark();
  }

  mark() {
    for (const button of this.box.querySelectorAll("button")) {
      const on = button.dataset.response ? this.responses.has(button.dataset.response) : this.unanticipated;
      button.setAttribute("aria-pressed", String(on));
    }
  }

  // A response and Unanticipated exclude each other, as in the composer.
  clicked(event) {
    const button = event.target.closest("button");
    if (!button) return;
    const id = button.dataset.response;
    if (id) {
      if (this.responses.has(id)) this.responses.delete(id);
      else this.responses.add(id);
      this.unanticipated = false;
    } else {
      this.unanticipated = !this.unanticipated;
      if (this.unanticipated) this.responses.clear();
    }
    this.mark();
  }

  chosen() {
    const responses = this.step()?.responses ?? [];
    return {
      responseIds: responses.filter((r) => this.responses.has(r.id)).map((r) => r.id),
      misconceptionIds: responses
        .filter((r) => this.responses.has(r.id) && r.misconception_id)
        .map((r) => r.misconception_id),
      unanticipated: this.unanticipated,
    };
  }
}
