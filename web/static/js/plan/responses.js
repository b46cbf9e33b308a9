// Anticipated student responses in one step: each editable (kind, text, linked
// misconception), plus a form to anticipate another.

import { api, autogrow, clone } from "../api.js";
import { choice, text } from "./adapters.js";
import { EditableField } from "./field.js";
import { MisconceptionPicker } from "./picker.js";

const responseOf = (plan, id) => {
  for (const step of plan.steps) {
    const found = step.responses.find((r) => r.id === id);
    if (found) return found;
  }
  return {};
};

export class ResponseItem {
  constructor(editor, id) {
    this.editor = editor;
    this.id = id;
    this.li = clone("tpl-response");
    this.li.dataset.responseId = id;
    const part = (name) => `response:${id}:${name}`;
    const control = (name) => this.li.querySelector(`[data-response-field="${name}"]`);
    const wrapper = (name) => this.li.querySelector(`[data-response-wrapper="${name}"]`);
    for (const name of ["kind", "text"]) {
      control(name).id = `r-${id}-${name}`;
      wrapper(name).querySelector("label").htmlFor = control(name).id;
    }
    autogrow(control("text"));
    const kindLabel = (v) => editor.kinds[v] ?? v;
    this.fields = [
      new EditableField(editor, {
        part: part("kind"), wrapper: wrapper("kind"), control: control("kind"), immediate: true,
        adapter: choice(control("kind"), (plan) => responseOf(plan, id).kind, { label: kindLabel }),
      }),
      new EditableField(editor, {
        part: part("text"), wrapper: wrapper("text"), control: control("text"),
        adapter: text(control("text"), (plan) => responseOf(plan, id).text),
      }),
      this.linkField(part("misconception_id"), wrapper("misconception_id")),
    ];
    control("kind").addEventListener("change", () => this.showKind());
    this.li.querySelector('[data-action="remove-response"]').addEventListener("click", (e) => this.remove(e.currentTarget));
  }

  linkField(part, wrapper) {
    this.link = null;
    const statement = wrapper.querySelector('[data-slot="statement"]');
    const pickerHost = wrapper.querySelector('[data-slot="picker"]');
    const adapter = {
      fromPlan: (plan) => responseOf(plan, this.id).misconception_id ?? null,
      read: () => ({ value: this.link }),
      write: (value) => {
        this.link = value ?? null;
        statement.textContent = this.link
          ? this.editor.misconceptions.get(this.link) ?? "A catalogued misconception"
          : "not linked yet";
        // The entry's own catalogue page: its examples, how often it was seen, what helped.
        if (this.link) statement.href = `/catalogue/misconceptions/${encodeURIComponent(this.link)}`;
        else statement.removeAttribute("href");
        wrapper.classList.toggle("is-unlinked", !this.link);
        if (this.link && !this.editor.misconceptions.has(this.link)) this.editor.lookUpMisconceptions();
      },
      display: (value) => (value ? this.editor.misconceptions.get(value) ?? "a catalogued misconception" : "(not linked)"),
    };
    const field = new EditableField(this.editor, { part, wrapper, control: wrapper, adapter, immediate: true });
    wrapper.querySelector('[data-action="change-link"]').addEventListener("click", () => {
      pickerHost.hidden = false;
      if (!this.picker) {
        this.picker = new MisconceptionPicker(this.editor, pickerHost, {
          label: "Link to a misconception in the catalogue",
          onPick: (m) => {
            pickerHost.hidden = true;
            this.link = m.id;
            adapter.write(m.id);
            field.edited();
          },
        });
      }
      this.picker.focus();
    });
    this.refreshLink = () => adapter.write(this.link);
    adapter.write(null); // "not linked yet" until the plan says otherwise
    return field;
  }

  showKind() {
    const kind = this.li.querySelector('[data-response-field="kind"]').value;
    this.li.classList.toggle("response--misconception", kind === "misconception");
    this.li.classList.toggle("response--correct", kind !== "misconception");
  }

  sync(plan, stepNumber) {
    for (const field of this.fields) field.sync(plan, plan.last_changed?.[field.part]);
    this.li.querySelector('[data-response-field="text"]').setAttribute(
      "aria-label", `Step ${stepNumber}: anticipated response`);
    this.showKind();
  }

  async remove(button) {
    if (button.dataset.confirming !== "yes") {
      button.dataset.confirming = "yes";
      button.classList.add("is-confirming");
      button.querySelector(".visually-hidden").textContent = "Press again to remove this response";
      button.title = "Press again to remove";
      setTimeout(() => {
        button.dataset.confirming = "";
        button.classList.remove("is-confirming");
      }, 4000);
      return;
    }
    const result = await api(
      "DELETE",
      `${this.editor.planPath}/responses/${this.id}?base_revision=${this.editor.revision}`,
    );
    this.editor.afterStructural(result, "remove the response");
  }

  get busy() {
    return this.fields.some((f) => f.busy);
  }

  destroy() {
    for (const field of this.fields) field.destroy();
    this.li.remove();
  }
}

export function addResponseForm(editor, host, stepId) {
  const form = clone("tpl-add-response");
  host.replaceChildren(form);
  const radios = [...form.querySelectorAll('input[type="radio"]')];
  for (const radio of radios) radio.name = `kind-${stepId}`;
  const textArea = form.querySelector('[data-slot="text"]');
  textArea.id = `new-response-${stepId}`;
  form.querySelector('[data-slot="text-label"]').htmlFor = textArea.id;
  autogrow(textArea);
  const pickerHost = form.querySelector('[data-slot="picker"]');
  const error = form.querySelector('[data-slot="error"]');
  let linked = null;
  const picker = new MisconceptionPicker(editor, pickerHost, {
    label: "Which misconception? Search the catalogue or describe a new one",
    onPick: (m) => { linked = m.id; },
  });
  const kind = () => radios.find((r) => r.checked).value;
  for (const radio of radios) {
    radio.addEventListener("change", () => { pickerHost.hidden = kind() !== "misconception"; });
  }
  const reset = () => {
    textArea.value = "";
    picker.input.value = "";
    picker.hint.textContent = "";
    linked = null;
    error.hidden = true;
  };
  form.querySelector('[data-action="cancel"]').addEventListener("click", () => {
    reset();
    form.open = false;
  });
  form.querySelector('[data-action="add-response"]').addEventListener("click", async () => {
    await picker.pending; // a misconception being added to the catalogue right now
    const body = { kind: kind(), text: textArea.value.trim() };
    if (!body.text) {
      error.textContent = "Write what a student might say or do first.";
      error.hidden = false;
      textArea.focus();
      return;
    }
    if (body.kind === "misconception" && linked) body.misconception_id = linked;
    const result = await api("POST", `${editor.planPath}/steps/${stepId}/responses`, body);
    if (!result.ok) {
      error.textContent = result.error?.message ?? "The response could not be added.";
      error.hidden = false;
      return;
    }
    reset();
    editor.applyPlan(result.data.plan);
    textArea.focus();
  });
  form.addEventListener("toggle", () => { if (form.open) textArea.focus(); });
  return form;
}
