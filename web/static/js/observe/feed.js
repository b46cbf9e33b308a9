// The feed: one note as a feed item (shared with the projector's labels) and the
// observer's list of everyone's notes, newest first, with this observer's unsent ones
// marked as waiting and their own notes' Amend and Retract. Shows notes as text only:
// every piece of user text goes through textContent, never innerHTML, so a note that
// contains markup is shown, not run.

import { clone } from "../api.js";

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

// One feed item; `actions` adds the buttons for one's own notes; `photoUrl` shows a
// photo still waiting on this device (an object URL of the queued image).
export function noteItem(note, { who, state, tags, actions, photoUrl }) {
  const item = clone("note-item");
  item.dataset.noteId = note.note_id;
  item.querySelector(".ob-note__subject").textContent = subjectLabel(note);
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
    outgoing.onChange(() => this.render());
    notebook.onChange(() => this.render());
  }

  // People or guests, {person id: {name}}, added to the names the feed knows.
  know(people) {
    for (const [id, person] of Object.entries(people ?? {})) this.names[id] = person.name;
  }

  showLesson({ you, steps }) {
    this.you = you;
    this.steps = steps;
    this.render();
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

  startAmend(item, note) {
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
      this.render();
    };
    save.addEventListener("click", () => {
      const text = area.value.trim();
      area.remove();
      if (text && text !== note.text) this.outgoing.amend(note.note_id, { text });
      done();
    });
    cancel.addEventListener("click", done);
    item.querySelector(".ob-note__text").replaceWith(area);
    item.querySelector(".ob-note__actions").replaceChildren(save, cancel);
    area.focus();
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
      });
      item.classList.add("ob-note--waiting");
      items.push(item);
    }
    items.reverse(); // newest first: what was just said is at the top
    feed.replaceChildren(...items);
    document.getElementById("feed-count").textContent = `(${items.length})`;
  }
}
