// The affinity wall: notes as cards, dragged into named patterns as a team does with
// sticky notes. Without a mouse (a tablet, a keyboard): tap or press Enter on a card
// to pick it up, then "Put here" on a pattern or "Back to the wall". Every move is
// sent with where this screen showed the card, so two people moving one card at once
// end with a clear message and the board as it now is.

import { uuid } from "../api.js";
import { button, el, fewWords } from "./dom.js";

export class Board {
  constructor({ wall, clusters, newPattern, help, label, send }) {
    Object.assign(this, { wall, clusters, newPattern, help, label, send });
    this.chosen = null; // the note id picked up without dragging
    this.renaming = null; // {patternId, value}: a rename being typed survives others' changes
    this.editable = false;
    this.state = null;
    this.notes = new Map();
    newPattern.addEventListener("submit", (event) => {
      event.preventDefault();
      this.makePattern();
    });
    wall.closest(".ds-wall").addEventListener("dragover", (e) => this.allowDrop(e));
    wall.closest(".ds-wall").addEventListener("drop", (e) => this.dropOn(e, null));
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.chosen) this.choose(null);
    });
  }

  where(noteId) {
    for (const p of this.state?.patterns ?? []) if (p.note_ids.includes(noteId)) return p.pattern_id;
    return null;
  }

  render(state, notes, editable) {
    // Someone else's change redraws the board: keep the keyboard where it was.
    const focused = document.activeElement;
    const focusedNote = focused?.classList?.contains("ds-card") ? focused.dataset.noteId : null;
    const typing = focused?.classList?.contains("ds-rename__input");
    this.state = state;
    this.notes = new Map(notes.map((n) => [n.note_id, n]));
    this.editable = editable;
    if (this.chosen && !this.notes.has(this.chosen)) this.chosen = null;
    this.help.hidden = !editable;
    this.newPattern.hidden = !editable || !this.chosen;
    const placed = new Set(state.patterns.flatMap((p) => p.note_ids));
    this.wall.replaceChildren(...notes.filter((n) => !placed.has(n.note_id)).map((n) => this.card(n)));
    if (!this.wall.children.length) this.wall.append(el("li", "ds-empty", "Every note is in a pattern."));
    const wallBox = this.wall.closest(".ds-wall");
    wallBox.querySelector(".ds-put")?.remove();
    if (editable && this.chosen && this.where(this.chosen) !== null) {
      wallBox.querySelector("h3").after(button("Back to the wall", "ds-put", () => this.place(this.chosen, null)));
    }
    this.clusters.replaceChildren(...state.patterns.map((p) => this.cluster(p)));
    if (focusedNote) this.cardOf(focusedNote)?.focus();
    if (typing) this.clusters.querySelector(".ds-rename__input")?.focus();
  }

  cardOf(noteId) {
    return [...document.querySelectorAll(".ds-card")].find((c) => c.dataset.noteId === noteId);
  }

  cluster(pattern) {
    const box = el("section", "ds-cluster");
    box.dataset.patternId = pattern.pattern_id;
    box.setAttribute("aria-label", `Pattern: ${pattern.name}`);
    const head = el("div", "ds-cluster__head");
    head.append(
      el("h3", "ds-cluster__name", pattern.name),
      el("span", "ds-cluster__count", String(pattern.note_ids.length)),
    );
    box.append(head);
    if (this.editable && this.renaming?.patternId === pattern.pattern_id) {
      this.renameField(pattern, head);
    } else if (this.editable) {
      head.append(button("Rename", "button--quiet ds-rename", () => this.startRename(pattern, head)));
    }
    if (this.editable) {
      if (this.chosen && this.where(this.chosen) !== pattern.pattern_id) {
        box.append(button("Put here", "ds-put", () => this.place(this.chosen, pattern.pattern_id)));
      }
      box.addEventListener("dragover", (e) => this.allowDrop(e));
      box.addEventListener("drop", (e) => this.dropOn(e, pattern.pattern_id));
    }
    const list = el("ol", "ds-cards");
    for (const noteId of pattern.note_ids) {
      const note = this.notes.get(noteId);
      if (note) list.append(this.card(note));
    }
    box.append(list);
    return box;
  }

  card(note) {
    const li = el("li", "ds-card");
    li.dataset.noteId = note.note_id;
    li.title = note.text;
    li.append(el("span", "ds-card__text", fewWords(note.text)), el("span", "ds-card__meta", this.label(note)));
    if (this.editable) {
      li.tabIndex = 0;
      li.draggable = true;
      li.setAttribute("role", "button");
      li.setAttribute("aria-pressed", String(this.chosen === note.note_id));
      li.setAttribute("aria-label", `${this.label(note)}: ${note.text}`);
      li.addEventListener("click", () => this.choose(this.chosen === note.note_id ? null : note.note_id));
      li.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          this.choose(this.chosen === note.note_id ? null : note.note_id);
        }
      });
      li.addEventListener("dragstart", (e) => {
        e.dataTransfer.setData("text/plain", note.note_id);
        e.dataTransfer.effectAllowed = "move";
        li.classList.add("is-dragging");
      });
      li.addEventListener("dragend", () => li.classList.remove("is-dragging"));
    }
    return li;
  }

  choose(noteId) {
    this.chosen = noteId;
    this.render(this.state, [...this.notes.values()], this.editable);
    if (noteId) this.cardOf(noteId)?.focus();
  }

  allowDrop(event) {
    if (!this.editable) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  }

  dropOn(event, patternId) {
    if (!this.editable) return;
    event.preventDefault();
    event.stopPropagation();
    const noteId = event.dataTransfer.getData("text/plain");
    if (noteId && this.notes.has(noteId)) this.place(noteId, patternId);
  }

  async place(noteId, patternId) {
    this.chosen = null;
    await this.send("discussion:place", { note_id: noteId, pattern_id: patternId, from_pattern_id: this.where(noteId) });
  }

  async makePattern() {
    const input = this.newPattern.elements.name;
    const name = input.value.trim();
    if (!name || !this.chosen) return;
    const noteId = this.chosen;
    const ack = await this.send("discussion:pattern", { pattern_id: uuid(), name, note_ids: [noteId] });
    if (ack?.ok) {
      input.value = "";
      this.chosen = null;
      this.render(this.state, [...this.notes.values()], this.editable);
    }
  }

  startRename(pattern, head) {
    this.renaming = { patternId: pattern.pattern_id, value: pattern.name, base: pattern.name };
    this.renameField(pattern, head);
    head.querySelector("input").focus();
  }

  renameField(pattern, head) {
    const input = el("input", "ds-rename__input");
    input.value = this.renaming.value;
    input.maxLength = 200;
    input.setAttribute("aria-label", `New name for ${this.renaming.base}`);
    input.addEventListener("input", () => {
      this.renaming.value = input.value;
    });
    const save = button("Save name", "button--primary", async () => {
      const value = input.value.trim();
      const base = this.renaming.base; // the name this person saw when they began
      this.renaming = null;
      if (value && value !== pattern.name) {
        await this.send("discussion:rename", { pattern_id: pattern.pattern_id, name: value, base_name: base });
      }
      this.render(this.state, [...this.notes.values()], this.editable);
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") save.click();
      if (e.key === "Escape") {
        this.renaming = null;
        this.render(this.state, [...this.notes.values()], this.editable);
      }
    });
    head.replaceChildren(input, save);
  }
}
