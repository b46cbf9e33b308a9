// The note composer: the step and its anticipated responses (the tags), the kind, the
// text, a photo, Send; the line saying what the note will be filed under, the nudge and
// the error. This file owns the lesson's steps as the composer shows them and the choices
// made for the next note; the subject comes from the seating chart (seats.js), and a
// note, once written, goes to `outgoing` (outgoing.js).

import { autogrow, uuid } from "../api.js";
import { rovingFocus } from "./keyboard.js";
import { photoProblem } from "./photos.js";

const $ = (id) => document.getElementById(id);

export class Composer {
  constructor(form, { teachingId, subject, outgoing }) {
    this.form = form;
    this.teachingId = teachingId;
    this.subject = subject;
    this.outgoing = outgoing;
    this.steps = [];
    this.kind = "student_talk";
    this.responses = new Set();
    this.unanticipated = false;
    this.stepChosenByHand = false;
    this.tagsStep = null; // the step whose tags are drawn: its chosen tags survive a redraw
    this.photo = null; // the checked file to attach to the next note
    const buttonsOf = (id) => () => [[...$(id).querySelectorAll("button")]];
    this.tagBar = rovingFocus($("tags"), { rows: buttonsOf("tags") });
    rovingFocus($("kinds"), { rows: buttonsOf("kinds") });

    form.addEventListener("click", (event) => this.clicked(event));
    $("step").addEventListener("change", () => {
      this.stepChosenByHand = true;
      this.drawTags();
    });
    $("send").addEventListener("click", () => this.send());
    // The text box grows with what is typed (up to a limit in the CSS), and the page keeps
    // room under its content for the dock, however tall the dock has become: on the root,
    // whose scroll-padding keeps what has focus from sliding under the dock.
    this.fitText = autogrow($("text"));
    const dock = document.querySelector(".ob-dock");
    const root = document.documentElement;
    new ResizeObserver(() => root.style.setProperty("--dock-height", `${dock.offsetHeight}px`)).observe(dock);
    // With a keyboard (a fine pointer), the page opens ready to type: a note is text
    // first, and its tags and kind are a Shift+Tab or two away. Not on a touch screen,
    // where focusing the text would pop the on-screen keyboard over the seating chart.
    if (window.matchMedia("(pointer: fine)").matches) $("text").focus({ preventScroll: true });
    $("text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && $("enter-sends").checked && !event.isComposing) {
        event.preventDefault();
        this.send();
      }
    });
    // The nudge is a suggestion about the last note: it steps aside once the next is begun.
    $("text").addEventListener("input", () => {
      if ($("text").value.length > 3) $("nudge").hidden = true;
    });
    $("photo").addEventListener("change", () => this.photoChosen());
  }

  // The steps of the lesson as joined; the teacher's current step is preselected unless
  // the observer chose one by hand.
  showSteps(steps, currentStepId) {
    const keep = $("step").value;
    this.steps = steps;
    const select = $("step");
    select.replaceChildren();
    steps.forEach((step, index) => {
      const option = document.createElement("option");
      option.value = step.id;
      option.textContent = `${index + 1}. ${step.activity || step.key_question || "Step"}`.slice(0, 80);
      select.append(option);
    });
    if (currentStepId) select.value = currentStepId;
    this.drawTags();
    if (this.stepChosenByHand && keep) {
      select.value = keep;
      this.drawTags();
    }
  }

  // The teacher moved the lesson on: the current step follows, even if one was chosen by hand.
  followStep(stepId) {
    this.stepChosenByHand = false;
    $("step").value = stepId;
    this.drawTags();
  }

  currentStep() {
    return this.steps.find((step) => step.id === $("step").value);
  }

  // The step's tags; those chosen stay chosen when the same step is drawn again (a
  // reconnect brings the lesson anew), and are cleared when the step changes.
  drawTags() {
    const box = $("tags");
    const step = this.currentStep();
    if (step?.id !== this.tagsStep) {
      this.responses.clear();
      this.unanticipated = false;
      this.tagsStep = step?.id ?? null;
    }
    const known = new Set((step?.responses ?? []).map((response) => response.id));
    for (const id of this.responses) if (!known.has(id)) this.responses.delete(id);
    this.tagBar.redraw(() => box.replaceChildren(...this.tagButtons(step)));
    this.markTags();
    this.showFiling();
  }

  tagButtons(step) {
    const buttons = [];
    for (const response of step?.responses ?? []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "ob-chip ob-tag";
      if (response.kind === "misconception") button.classList.add("ob-tag--misconception");
      button.dataset.response = response.id;
      button.textContent = (response.kind === "misconception" ? "⚠ " : "✓ ") + response.text;
      button.title = response.kind === "misconception" ? "Anticipated misconception" : "Anticipated correct strategy";
      buttons.push(button);
    }
    const other = document.createElement("button");
    other.type = "button";
    other.className = "ob-chip ob-tag ob-tag--new";
    other.dataset.unanticipated = "";
    other.textContent = "Unanticipated";
    buttons.push(other);
    return buttons;
  }

  // What the next note is filed under, shown in the dock beside the text: the chart may
  // have scrolled away, and a note filed under the wrong seat is wrong evidence.
  showFiling() {
    const { kind, code } = this.subject();
    const subject = { teacher: "Teacher", whole_class: "Whole class" }[kind] ?? code;
    const index = this.steps.findIndex((step) => step.id === $("step").value);
    $("filing").textContent = index < 0 ? `→ ${subject}` : `→ ${subject} · step ${index + 1}`;
  }

  markTags() {
    for (const button of $("tags").querySelectorAll("button")) {
      const on = button.dataset.response ? this.responses.has(button.dataset.response) : this.unanticipated;
      button.setAttribute("aria-pressed", String(on));
    }
  }

  // The form's subject and focus buttons are the seating chart's.
  clicked(event) {
    const button = event.target.closest("button");
    if (!button || button.dataset.subjectKind || button.id === "focus-mode") return;
    if (button.dataset.kind) {
      this.kind = button.dataset.kind;
      for (const b of this.form.querySelectorAll("[data-kind]")) b.setAttribute("aria-pressed", String(b.dataset.kind === this.kind));
    } else if (button.dataset.response) {
      const id = button.dataset.response;
      if (this.responses.has(id)) this.responses.delete(id);
      else this.responses.add(id);
      this.unanticipated = false; // the server refuses both together
      this.markTags();
    } else if (button.dataset.unanticipated !== undefined) {
      this.unanticipated = !this.unanticipated;
      if (this.unanticipated) this.responses.clear();
      this.markTags();
    }
  }

  showError(message) {
    const box = $("compose-error");
    box.textContent = message ?? "";
    box.hidden = !message;
  }

  photoDropped(why) {
    this.showError(`Photo not attached: ${why}. The note is sent without it.`);
  }

  async send() {
    const text = $("text").value.trim();
    if (!text) {
      this.showError("Write what you saw or heard first.");
      $("text").focus();
      return;
    }
    const step = this.currentStep();
    if (!step) {
      this.showError("The plan has no steps to file this note under.");
      return;
    }
    this.showError("");
    const misconceptions = (step.responses ?? [])
      .filter((r) => this.responses.has(r.id) && r.misconception_id)
      .map((r) => r.misconception_id);
    const subject = this.subject();
    const payload = {
      teaching_id: this.teachingId,
      note_id: uuid(),
      recorded_at: new Date().toISOString(),
      subject_kind: subject.kind,
      kind: this.kind,
      text,
      step_id: step.id,
      response_ids: [...this.responses],
      misconception_ids: misconceptions,
      unanticipated: this.unanticipated,
    };
    if (subject.code && (subject.kind === "seat" || subject.kind === "group")) {
      payload.subject_code = subject.code;
    }
    const file = this.photo;
    if (file) this.clearPhoto();
    // In the outbox before anything else that could fail: the text is what must not be lost.
    const kept = this.outgoing.note({ id: `${payload.note_id}:record`, event: "note:record", payload }, file);
    $("text").value = "";
    this.fitText();
    this.responses.clear();
    this.unanticipated = false;
    this.markTags();
    $("text").focus();
    await kept;
  }

  // An answer to a sent item: a note refused as written (4xx) gives its text back to fix
  // rather than lose it (`dropped`: it left the outbox); the server's nudge is shown.
  acked(item, ack, dropped) {
    if (ack.error) {
      this.showError(`Not stored: ${ack.error.message}`);
      if (dropped && item.event === "note:record" && !$("text").value) $("text").value = item.payload.text;
    }
    const nudge = $("nudge");
    if (ack.nudge) {
      nudge.textContent = ack.nudge;
      nudge.hidden = false;
    } else if (ack.ok && item.event === "note:record") {
      nudge.hidden = true;
    }
  }

  clearPhoto() {
    this.photo = null;
    $("photo").value = "";
    $("photo-name").textContent = "";
    $("photo-name").hidden = true;
    $("photo-label").classList.remove("ob-photo--set");
  }

  // Checked when chosen, before anything is queued: a photo the server would refuse must
  // not wait on the device for hours only to fail on reconnect.
  async photoChosen() {
    const file = $("photo").files?.[0];
    if (!file) return this.clearPhoto();
    const problem = await photoProblem(file);
    if (problem) {
      this.clearPhoto();
      this.showError(problem);
      return;
    }
    this.showError("");
    this.photo = file;
    $("photo-name").textContent = `Photo to attach: ${file.name}`;
    $("photo-name").hidden = false;
    $("photo-label").classList.add("ob-photo--set");
  }
}
