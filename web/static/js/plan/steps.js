// The lesson-flow table: one row per step, added, reordered (buttons, so keyboard
// and touch work) and removed; each cell saves on its own.

import { api, autogrow, clone, uuid } from "../api.js";
import { minutes, text } from "./adapters.js";
import { EditableField } from "./field.js";
import { arrange, prune } from "./order.js";
import { addResponseForm, ResponseItem } from "./responses.js";

const STEP_FIELDS = ["activity", "key_question", "teacher_support", "points_to_notice", "minutes"];
const stepOf = (plan, id) => plan.steps.find((s) => s.id === id) ?? {};

class StepRow {
  constructor(editor, id) {
    this.editor = editor;
    this.id = id;
    this.tr = clone("tpl-step");
    this.tr.dataset.stepId = id;
    this.responses = new Map();
    this.list = this.tr.querySelector('[data-slot="responses"]');
    this.fields = STEP_FIELDS.map((name) => {
      const control = this.tr.querySelector(`[data-step-field="${name}"]`);
      const wrapper = this.tr.querySelector(`[data-step-wrapper="${name}"]`);
      control.id = `s-${id}-${name}`;
      wrapper.querySelector("label").htmlFor = control.id;
      if (control.tagName === "TEXTAREA") autogrow(control);
      const fromPlan = (plan) => stepOf(plan, id)[name];
      return new EditableField(editor, {
        part: `step:${id}:${name}`,
        wrapper,
        control,
        adapter: name === "minutes" ? minutes(control, fromPlan) : text(control, fromPlan),
      });
    });
    addResponseForm(editor, this.tr.querySelector('[data-slot="add-response"]'), id);
    const on = (action, handler) =>
      this.tr.querySelector(`[data-action="${action}"]`).addEventListener("click", handler);
    on("up", () => this.move(-1, "up"));
    on("down", () => this.move(1, "down"));
    on("remove", () => this.confirmRemove(true));
    on("cancel-remove", () => this.confirmRemove(false));
    on("confirm-remove", () => this.remove());
  }

  sync(plan, index) {
    const number = index + 1;
    const count = plan.steps.length;
    this.index = index;
    this.tr.querySelector('[data-slot="number"]').textContent = String(number);
    this.tr.querySelector('[data-slot="up-label"]').textContent = `Move step ${number} up`;
    this.tr.querySelector('[data-slot="down-label"]').textContent = `Move step ${number} down`;
    this.tr.querySelector('[data-slot="remove-label"]').textContent = `Remove step ${number}`;
    this.tr.querySelector('[data-action="up"]').disabled = index === 0;
    this.tr.querySelector('[data-action="down"]').disabled = index === count - 1;
    for (const field of this.fields) {
      field.sync(plan, plan.last_changed?.[field.part]);
      field.control.setAttribute("aria-label", `Step ${number}: ${this.editor.stepLabels[field.part.split(":")[2]]}`);
    }
    const step = stepOf(plan, this.id);
    const ids = step.responses.map((r) => r.id);
    prune(this.responses, ids, (item) => item.destroy());
    const items = ids.map((rid) => {
      if (!this.responses.has(rid)) this.responses.set(rid, new ResponseItem(this.editor, rid));
      return this.responses.get(rid);
    });
    arrange(this.list, items.map((item) => item.li));
    for (const item of items) item.sync(plan, number);
  }

  async move(delta, action) {
    const result = await api("POST", `${this.editor.planPath}/steps/${this.id}/move`, {
      position: this.index + delta,
    });
    this.editor.afterStructural(result, "move the step");
    // Keyboard users keep their place: the focus follows the row it moved.
    const button = this.tr.querySelector(`[data-action="${action}"]`);
    (button.disabled ? this.tr.querySelector(`[data-action="${action === "up" ? "down" : "up"}"]`) : button).focus();
  }

  confirmRemove(asking) {
    this.tr.querySelector('[data-slot="confirm"]').hidden = !asking;
    this.tr.querySelector(".step__tools").hidden = asking;
    this.tr.classList.toggle("is-confirming", asking);
    this.tr.querySelector(`[data-action="${asking ? "confirm-remove" : "remove"}"]`).focus();
  }

  async remove() {
    const result = await api(
      "DELETE",
      `${this.editor.planPath}/steps/${this.id}?base_revision=${this.editor.revision}`,
    );
    if (!result.ok) this.confirmRemove(false);
    this.editor.afterStructural(result, "remove the step");
  }

  get busy() {
    return this.fields.some((f) => f.busy) || [...this.responses.values()].some((r) => r.busy);
  }

  destroy() {
    for (const field of this.fields) field.destroy();
    for (const item of this.responses.values()) item.destroy();
    this.tr.remove();
  }
}

export class Flow {
  constructor(editor) {
    this.editor = editor;
    this.body = document.getElementById("flow-body");
    this.empty = document.getElementById("flow-empty");
    this.total = document.getElementById("total-minutes");
    this.rows = new Map();
    document.getElementById("add-step").addEventListener("click", () => this.add());
  }

  sync(plan) {
    const ids = plan.steps.map((s) => s.id);
    prune(this.rows, ids, (row) => {
      if (row.busy) this.editor.announce("A step you were editing was removed by someone else.");
      row.destroy();
    });
    const rows = ids.map((id) => {
      if (!this.rows.has(id)) this.rows.set(id, new StepRow(this.editor, id));
      return this.rows.get(id);
    });
    arrange(this.body, rows.map((row) => row.tr));
    rows.forEach((row, index) => row.sync(plan, index));
    this.empty.hidden = ids.length > 0;
    const total = plan.steps.reduce((sum, s) => sum + (Number(s.minutes) || 0), 0);
    this.total.textContent = ids.length ? `${ids.length} steps · ${total} minutes in all` : "";
  }

  async add() {
    const stepId = uuid();
    const result = await api("POST", `${this.editor.planPath}/steps`, { step_id: stepId });
    this.editor.afterStructural(result, "add a step");
    if (result.ok) this.rows.get(stepId)?.tr.querySelector('[data-step-field="activity"]').focus();
  }

  get busy() {
    return [...this.rows.values()].some((row) => row.busy);
  }
}
