// One editable part of the plan (a plan field, a step's field, a response's field).
//
// It remembers the server's value and the revision that value is from (its base).
// While the person types, the field is "dirty": changes from others never overwrite
// it; the field is marked instead, and the save (sent with the old base) comes back
// as a conflict that the person resolves by choosing. A clean field follows the
// server, showing who changed it.

import { clone } from "../api.js";

const SAVE_AFTER_MS = 1200; // a pause in typing this long saves
const canonical = (value) => JSON.stringify(value, (_key, v) =>
  v && typeof v === "object" && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v);
export const same = (a, b) => canonical(a) === canonical(b);

export class EditableField {
  constructor(editor, { part, wrapper, control, adapter, label, immediate = false }) {
    Object.assign(this, { editor, part, wrapper, control, adapter, label, immediate });
    this.serverValue = undefined;
    this.base = 0;
    this.saving = false;
    this.again = false; // typed more while a save was on its way
    this.conflict = null;
    this.timer = null;
    this.note = document.createElement("p");
    this.note.className = "field-note";
    this.note.setAttribute("aria-live", "polite");
    this.note.hidden = true;
    wrapper.append(this.note);
    wrapper.classList.add("is-live");
    const onEdit = () => this.edited();
    control.addEventListener("input", onEdit);
    control.addEventListener("change", onEdit);
    control.addEventListener("focusout", (event) => {
      if (!control.contains(event.relatedTarget)) this.save();
    });
  }

  get dirty() {
    const mine = this.adapter.read();
    return mine.error !== undefined || !same(mine.value, this.serverValue);
  }

  get busy() {
    return this.saving || this.conflict !== null || this.dirty;
  }

  get focused() {
    return this.control.contains(document.activeElement);
  }

  edited() {
    if (this.conflict) return; // the person is choosing; their typing is "mine"
    clearTimeout(this.timer);
    this.editor.changed();
    if (this.immediate) {
      this.save();
    } else {
      this.timer = setTimeout(() => this.save(), SAVE_AFTER_MS);
    }
  }

  // Called with every newer plan: follow it when clean, mark the field when not.
  sync(plan, lastChanged) {
    const server = this.adapter.fromPlan(plan);
    if (this.serverValue === undefined) {
      this.take(server, plan.revision);
      return;
    }
    const byOther = lastChanged && lastChanged.by !== this.editor.me && lastChanged.revision > this.base;
    if (this.conflict) {
      return;
    }
    if (!this.saving && !this.dirty) {
      const differs = !same(server, this.serverValue);
      this.take(server, plan.revision);
      if (differs && byOther) {
        this.show(`Changed by ${this.editor.nameOf(lastChanged)} just now`, "other");
        this.wrapper.classList.remove("is-updated");
        void this.wrapper.offsetWidth; // restart the highlight if it is still running
        this.wrapper.classList.add("is-updated");
      }
      return;
    }
    if (byOther && !same(server, this.serverValue)) {
      this.wrapper.classList.add("is-changed-by-other");
      this.show(
        `${this.editor.nameOf(lastChanged)} changed this while you were typing. When yours is saved you can choose which to keep.`,
        "other",
      );
    }
  }

  take(value, revision) {
    this.serverValue = value;
    this.base = revision;
    const mine = this.adapter.read();
    if (mine.error !== undefined || !same(mine.value, value)) this.adapter.write(value);
    this.wrapper.classList.remove("is-changed-by-other", "is-error");
  }

  async save() {
    clearTimeout(this.timer);
    if (this.conflict) return;
    if (this.saving) {
      this.again = true;
      return;
    }
    const mine = this.adapter.read();
    if (mine.error !== undefined) {
      this.show(mine.error, "error");
      return;
    }
    if (same(mine.value, this.serverValue)) {
      this.editor.changed();
      return;
    }
    this.saving = true;
    this.again = false;
    this.wrapper.classList.add("is-saving");
    this.editor.changed();
    const result = await this.editor.write(this.part, mine.value, this.base);
    this.saving = false;
    this.wrapper.classList.remove("is-saving");
    this.settle(result, mine.value);
    this.editor.changed();
  }

  settle(result, sent) {
    if (result.ok) {
      this.editor.retryLater(this, false);
      const server = this.adapter.fromPlan(result.data.plan);
      this.serverValue = server;
      this.base = result.data.revision;
      this.wrapper.classList.remove("is-changed-by-other", "is-error");
      const still = this.adapter.read();
      // Typed on while it was saving: keep their text and save that too. Otherwise show
      // the server's form of it (it trims spaces), unless they are still in the field.
      if (still.error === undefined && same(still.value, sent)) {
        if (!this.focused) this.adapter.write(server);
        this.show("Saved", "saved");
      }
      this.editor.applyPlan(result.data.plan);
      if (this.again || this.dirty) this.save();
      return;
    }
    if (result.status === 409 && result.error?.current) {
      this.showConflict(result.error.current);
    } else if (result.status === 0 || result.status >= 500 || result.status === 429) {
      this.show("Not saved yet: no connection. It will be saved when the connection is back.", "error");
      this.editor.retryLater(this, true);
    } else {
      this.wrapper.classList.add("is-error");
      this.show(result.error?.message ?? "This could not be saved.", "error");
    }
  }

  show(text, tone) {
    this.note.textContent = text;
    this.note.dataset.tone = tone;
    this.note.hidden = !text;
    clearTimeout(this.noteTimer);
    if (tone === "saved") this.noteTimer = setTimeout(() => { this.note.hidden = true; }, 2500);
    if (tone === "other") this.noteTimer = setTimeout(() => {
      if (!this.wrapper.classList.contains("is-changed-by-other")) this.note.hidden = true;
    }, 8000);
  }

  showConflict(current) {
    this.conflict = current;
    this.note.hidden = true;
    this.wrapper.classList.add("has-conflict");
    this.wrapper.classList.remove("is-changed-by-other");
    const box = clone("tpl-conflict");
    const who = current.changed_by_name || this.editor.nameOf({ by: current.changed_by }) || "Someone";
    box.querySelector('[data-slot="who"]').textContent = who;
    box.querySelector('[data-slot="theirs-title"]').textContent = `${who}'s`;
    box.querySelector('[data-slot="mine"]').textContent = this.adapter.display(this.adapter.read().value);
    box.querySelector('[data-slot="theirs"]').textContent = this.adapter.display(current.value);
    box.querySelector('[data-action="keep-mine"]').addEventListener("click", () => this.resolve("mine"));
    box.querySelector('[data-action="take-theirs"]').addEventListener("click", () => this.resolve("theirs"));
    this.conflictBox = box;
    this.wrapper.append(box);
    box.querySelector('[data-action="keep-mine"]').focus({ preventScroll: true });
  }

  resolve(choice) {
    const current = this.conflict;
    this.conflict = null;
    this.conflictBox?.remove();
    this.wrapper.classList.remove("has-conflict");
    // Either way the choice is made knowing their version: their revision is the base.
    this.base = current.revision;
    if (choice === "theirs") {
      this.serverValue = current.value;
      this.adapter.write(current.value);
      this.show("Kept their version", "saved");
      this.editor.changed();
      this.editor.refreshSoon();
    } else {
      this.serverValue = current.value;
      this.save();
    }
    this.control.focus?.({ preventScroll: true });
  }

  destroy() {
    clearTimeout(this.timer);
    this.editor.retryLater(this, false);
  }
}
