// Shows notes as text only: every piece of user text goes through textContent, never
// innerHTML, so a note that contains markup is shown, not run.

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
