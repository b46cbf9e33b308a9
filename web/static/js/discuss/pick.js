// Confirming a misconception the plan did not anticipate: search the catalogue by its
// words (the task's own entries first) or name a new entry for the task, then confirm
// it like any other. Found and new entries join the form's list; the server still
// checks that the entry exists and that the confirmation cites notes.

import { api } from "../api.js";
import { button, el } from "./dom.js";

export class CataloguePick {
  // context() -> {teamId, taskId}; onPick(id, statement) puts it in the form's list.
  constructor({ input, list, hint, context, onPick }) {
    Object.assign(this, { input, list, hint, context, onPick });
    this.asked = 0;
    input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.search(), 250);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault(); // Enter searches; it must not confirm the form
      clearTimeout(this.timer);
      this.search();
    });
  }

  async search() {
    const q = this.input.value.trim();
    const ask = ++this.asked;
    if (!q) {
      this.list.replaceChildren();
      this.hint.textContent = "";
      return;
    }
    const { taskId } = this.context();
    const params = new URLSearchParams({ q, limit: "8" });
    if (taskId) params.set("task_id", taskId);
    const found = await api("GET", `/api/v1/misconceptions?${params}`);
    if (ask !== this.asked) return; // a newer search is on its way
    if (!found.ok) {
      this.hint.textContent = found.error?.message ?? "The catalogue cannot be searched right now.";
      return;
    }
    const entries = found.data ?? [];
    const items = entries.map((m) => {
      const li = el("li", "ds-pick__item");
      li.append(button(m.statement, "button--quiet ds-pick__entry", () => this.choose(m.id, m.statement)));
      return li;
    });
    if (!entries.some((m) => m.statement.toLowerCase() === q.toLowerCase())) {
      const li = el("li", "ds-pick__item");
      li.append(button(`New misconception: ${q}`, "button--quiet ds-pick__new", () => this.create(q)));
      items.push(li);
    }
    this.list.replaceChildren(...items);
    this.hint.textContent = entries.length
      ? `${entries.length} in the catalogue`
      : "Nothing in the catalogue matches: you can name it as a new entry.";
  }

  async create(statement) {
    const { teamId, taskId } = this.context();
    const made = await api("POST", `/api/v1/teams/${teamId}/misconceptions`, { statement, task_id: taskId ?? null });
    if (!made.ok) {
      this.hint.textContent = made.error?.message ?? "Not added to the catalogue.";
      return;
    }
    this.choose(made.data.id, made.data.statement);
  }

  choose(id, statement) {
    this.onPick(id, statement);
    this.input.value = "";
    this.list.replaceChildren();
    this.hint.textContent = `Chosen: ${statement}. Now cite the notes that show it.`;
  }
}
