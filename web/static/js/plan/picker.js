// Search-as-you-type over the misconception catalogue (a WAI-ARIA combobox), with a
// last option to catalogue what was typed as a new misconception.

import { api, clone } from "../api.js";

let pickers = 0;

function entries(data) {
  const list = Array.isArray(data) ? data : data?.items ?? data?.misconceptions ?? data?.results ?? [];
  return list
    .map((m) => ({ id: String(m.id ?? m.misconception_id ?? ""), statement: String(m.statement ?? "") }))
    .filter((m) => m.id);
}

export class MisconceptionPicker {
  constructor(editor, host, { onPick, label }) {
    this.editor = editor;
    this.onPick = onPick;
    this.root = clone("tpl-picker");
    host.replaceChildren(this.root);
    const n = ++pickers;
    this.input = this.root.querySelector("input");
    this.list = this.root.querySelector("ul");
    this.hint = this.root.querySelector(".picker__hint");
    this.input.id = `picker-${n}`;
    this.list.id = `picker-${n}-list`;
    this.root.querySelector("label").htmlFor = this.input.id;
    if (label) this.root.querySelector("label").textContent = label;
    this.input.setAttribute("aria-controls", this.list.id);
    this.options = [];
    this.active = -1;
    this.pending = Promise.resolve();
    this.asked = 0;
    this.input.addEventListener("input", () => this.searchSoon());
    this.input.addEventListener("focus", () => this.searchSoon(0));
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
  }

  focus() {
    this.input.focus();
  }

  searchSoon(delay = 200) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.search(), delay);
  }

  async search() {
    const q = this.input.value.trim();
    const ask = ++this.asked;
    const params = new URLSearchParams({ q, task_id: this.editor.taskId });
    const result = await api("GET", `/api/v1/misconceptions?${params}`);
    if (ask !== this.asked || document.activeElement !== this.input) return; // stale
    if (!result.ok) {
      this.hint.textContent = "The catalogue cannot be searched right now.";
      return;
    }
    const found = entries(result.data);
    for (const m of found) this.editor.misconceptions.set(m.id, m.statement);
    // The catalogue's index may lag a moment behind an entry this page just added.
    const words = q.toLowerCase();
    for (const [id, statement] of this.editor.misconceptions) {
      if (words && statement.toLowerCase().includes(words) && !found.some((m) => m.id === id)) {
        found.unshift({ id, statement });
      }
    }
    this.options = found.map((m) => ({ ...m, create: false }));
    if (q && !found.some((m) => m.statement.toLowerCase() === q.toLowerCase())) {
      this.options.push({ id: "", statement: q, create: true });
    }
    this.render();
  }

  render() {
    this.list.replaceChildren();
    this.options.forEach((option, index) => {
      const li = document.createElement("li");
      li.id = `${this.list.id}-${index}`;
      li.setAttribute("role", "option");
      li.className = option.create ? "picker__option picker__option--new" : "picker__option";
      if (option.create) {
        const strong = document.createElement("strong");
        strong.textContent = "New misconception: ";
        li.append(strong, document.createTextNode(option.statement));
      } else {
        li.textContent = option.statement;
      }
      li.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
      li.addEventListener("click", () => this.pick(index));
      this.list.append(li);
    });
    const open = this.options.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    this.hint.textContent = open ? `${this.options.length} to choose from` : "Nothing in the catalogue yet for this task: type to describe one.";
    this.highlight(open ? 0 : -1);
  }

  highlight(index) {
    this.active = index;
    [...this.list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) {
      this.input.setAttribute("aria-activedescendant", `${this.list.id}-${index}`);
      this.list.children[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  key(event) {
    const count = this.options.length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      if (this.list.hidden) this.render();
      this.highlight((this.active + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      this.highlight((this.active - 1 + count) % count);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (this.active >= 0 && !this.list.hidden) this.pick(this.active);
    } else if (event.key === "Escape") {
      this.close();
    }
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  }

  // Adding to the catalogue takes a round trip: whoever needs the choice awaits this.
  pick(index) {
    this.pending = this.choose(index);
    return this.pending;
  }

  async choose(index) {
    const option = this.options[index];
    if (!option) return;
    // A search still on its way must not open the list again over the choice.
    clearTimeout(this.timer);
    this.asked += 1;
    this.close();
    let chosen = option;
    if (option.create) {
      this.hint.textContent = "Adding it to the catalogue…";
      const result = await api("POST", `/api/v1/teams/${this.editor.teamId}/misconceptions`, {
        statement: option.statement,
        task_id: this.editor.taskId,
      });
      if (!result.ok) {
        this.hint.textContent = result.error?.message ?? "It could not be added to the catalogue.";
        return;
      }
      const [made] = entries([result.data]);
      chosen = made ?? option;
      this.editor.misconceptions.set(chosen.id, chosen.statement);
    }
    this.input.value = chosen.statement;
    this.hint.textContent = option.create ? "Added to the catalogue and chosen." : "Chosen.";
    this.onPick(chosen);
  }
}
