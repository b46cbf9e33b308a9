// The live plan editor: loads the plan from the API, saves each part as it is
// edited, and follows the team's changes (see field.js for how edits meet).

import { api, fitAll } from "../api.js";
import { choice, focus, layout, text } from "./adapters.js";
import { EditableField } from "./field.js";
import { connectLive } from "./live.js";
import { Flow } from "./steps.js";

const RETRY_MS = 4000;

class Editor {
  constructor(form) {
    const data = JSON.parse(document.getElementById("page-data").textContent);
    this.form = form;
    this.lessonId = form.dataset.lessonId;
    this.teamId = form.dataset.teamId;
    this.taskId = form.dataset.taskId;
    this.me = form.dataset.personId;
    this.mayEdit = form.dataset.mayEdit === "true";
    this.planPath = `/api/v1/lessons/${this.lessonId}/plan`;
    this.names = data.names;
    this.kinds = data.kinds;
    this.stepLabels = data.step_labels;
    this.labels = data.labels;
    this.misconceptions = new Map(Object.entries(data.misconceptions));
    this.revision = 0;
    this.retrying = new Set();
    this.saveState = document.getElementById("save-state");
    this.activity = document.getElementById("activity");
    this.fields = [...form.querySelectorAll("[data-part]")]
      .filter((el) => !el.closest("#flow"))
      .map((el) => this.planField(el));
    this.flow = new Flow(this);
    window.addEventListener("beforeunload", (event) => {
      if (this.unsaved()) event.preventDefault();
    });
    window.addEventListener("online", () => this.retryNow());
  }

  planField(control) {
    const name = control.dataset.part;
    const fromPlan = (plan) => plan.fields[name];
    const wrapper = control.closest("[data-field-wrapper]");
    let adapter;
    if (name === "instructor_id") {
      adapter = choice(control, fromPlan, { emptyIsNull: true, label: (id) => this.names[id] ?? id });
    } else if (name === "class_layout") {
      adapter = layout(control, fromPlan);
    } else if (name === "focus") {
      adapter = focus(control, fromPlan, (id) => this.names[id] ?? id);
    } else {
      adapter = text(control, fromPlan);
    }
    const immediate = control.tagName === "SELECT" || control.type === "date";
    return new EditableField(this, { part: name, wrapper, control, adapter, immediate });
  }

  async start() {
    const result = await api("GET", this.planPath);
    if (!result.ok) {
      this.saveState.textContent = `The plan could not be loaded: ${result.error?.message ?? "no connection"}.`;
      this.saveState.dataset.tone = "error";
      return;
    }
    this.applyPlan(result.data);
    this.changed();
    connectLive(this);
  }

  // Every newer plan (a save's answer, or a reload after others' changes) flows here.
  applyPlan(plan) {
    if (!plan || plan.revision < this.revision) return; // an older answer arriving late
    this.revision = plan.revision;
    for (const field of this.fields) field.sync(plan, plan.last_changed?.[field.part]);
    this.flow.sync(plan);
    document.getElementById("bar-title").textContent = plan.fields.title;
    document.title = `Plan: ${plan.fields.title} · lessonstudy`;
    document.getElementById("revision-label").textContent = `Revision ${plan.revision}`;
    if (!this.mayEdit) this.lock();
    fitAll(this.form);
  }

  lock() {
    for (const el of this.form.querySelectorAll("input, textarea")) el.readOnly = true;
    for (const el of this.form.querySelectorAll("select, button, input[type=radio]")) el.disabled = true;
  }

  write(part, value, base) {
    const [kind, id, name] = part.includes(":") ? part.split(":") : ["plan", "", part];
    const path = {
      plan: `${this.planPath}/fields/${name}`,
      step: `${this.planPath}/steps/${id}/fields/${name}`,
      response: `${this.planPath}/responses/${id}/fields/${name}`,
    }[kind];
    return api("PUT", path, { value, base_revision: base });
  }

  afterStructural(result, what) {
    if (result.ok) {
      this.applyPlan(result.data.plan);
      return;
    }
    if (result.status === 409) {
      const who = result.error?.current?.changed_by_name ?? "Someone";
      this.announce(`${who} changed this since you last saw it, so it was left as it is. The plan now shows their change; ${what} again if you still want to.`);
    } else {
      this.announce(`Could not ${what}: ${result.error?.message ?? "no connection"}.`);
    }
    this.refreshSoon();
  }

  remoteChange(change) {
    if (change.by !== this.me) {
      const when = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      const who = change.by_name ?? this.names[change.by] ?? "Someone";
      this.announce(`${who} ${this.describe(change)} · ${when}`);
    }
    if (change.revision > this.revision) this.refreshSoon();
  }

  reconnected(revision) {
    if (revision !== this.revision) this.refreshSoon(0);
    this.retryNow();
  }

  refreshSoon(delay = 80) {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(async () => {
      const result = await api("GET", this.planPath);
      if (result.ok) this.applyPlan(result.data);
    }, delay);
  }

  // "changed the key question of step 2", from the news the plan room sends.
  describe(change) {
    const [kind, id, name] = String(change.part ?? "").split(":");
    const row = this.flow.rows.get(id);
    const step = row ? `step ${row.index + 1}` : "a step";
    switch (change.kind) {
      case "StepAdded": return "added a step";
      case "StepMoved": return "moved a step";
      case "StepRemoved": return "removed a step";
      case "ResponseAnticipated": return `anticipated a response in ${step}`;
      case "ResponseRemoved": return `removed an anticipated response from ${step}`;
      case "ResponseChanged": return "changed an anticipated response";
      case "StepFieldChanged": return `changed the ${(this.stepLabels[name] ?? name).toLowerCase()} of ${step}`;
      default: {
        const label = this.labels[kind] ?? kind ?? "the plan";
        return `changed the ${label.startsWith("Observers") ? label : label.toLowerCase()}`;
      }
    }
  }

  nameOf(changed) {
    return changed?.by_name ?? this.names[changed?.by] ?? "Someone";
  }

  announce(message) {
    this.activity.textContent = message;
  }

  retryLater(field, on) {
    if (on) this.retrying.add(field);
    else this.retrying.delete(field);
    clearTimeout(this.retryTimer);
    if (this.retrying.size) this.retryTimer = setTimeout(() => this.retryNow(), RETRY_MS);
  }

  retryNow() {
    for (const field of [...this.retrying]) field.save();
  }

  lookUpMisconceptions() {
    clearTimeout(this.lookupTimer);
    this.lookupTimer = setTimeout(async () => {
      const params = new URLSearchParams({ q: "", task_id: this.taskId });
      const result = await api("GET", `/api/v1/misconceptions?${params}`);
      const list = Array.isArray(result.data) ? result.data : result.data?.items ?? [];
      for (const m of list) this.misconceptions.set(String(m.id), String(m.statement));
      for (const row of this.flow.rows.values()) {
        for (const item of row.responses.values()) item.refreshLink();
      }
    }, 300);
  }

  allFields() {
    const fromFlow = [...this.flow.rows.values()].flatMap((row) => [
      ...row.fields,
      ...[...row.responses.values()].flatMap((item) => item.fields),
    ]);
    return [...this.fields, ...fromFlow];
  }

  unsaved() {
    return this.allFields().some((f) => f.saving || f.dirty);
  }

  // The one line that says whether everything typed is safely on the server.
  changed() {
    clearTimeout(this.stateTimer);
    this.stateTimer = setTimeout(() => {
      const fields = this.allFields();
      const saving = fields.filter((f) => f.saving).length;
      const conflicts = fields.filter((f) => f.conflict).length;
      const waiting = fields.filter((f) => !f.saving && f.dirty).length;
      let text = "All changes saved";
      let tone = "saved";
      if (conflicts) [text, tone] = [`${conflicts} to choose: yours or theirs`, "error"];
      else if (this.retrying.size) [text, tone] = [`${this.retrying.size} not saved yet (no connection)`, "error"];
      else if (saving) [text, tone] = ["Saving…", "busy"];
      else if (waiting) [text, tone] = ["Editing…", "busy"];
      this.saveState.textContent = text;
      this.saveState.dataset.tone = tone;
    }, 50);
  }
}

const form = document.getElementById("plan");
if (form) {
  const editor = new Editor(form);
  window.lessonstudyEditor = editor; // for the browser tests and for debugging
  editor.start();
}
