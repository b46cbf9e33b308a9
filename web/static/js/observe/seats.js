// What the next note is about: Teacher, Whole class, or a seat or group tapped on the
// seating chart (the class layout {group: [seats]}), and "My focus", the seats or groups
// this observer follows, offered first. This file owns the chosen subject and the focus;
// the page hears through `onSubject` when the subject shown changes and through
// `onFocus` when the observer chose a new focus here. The chart is a WAI-ARIA grid (a row
// per group) and Teacher / Whole class / My focus and the focus row are toolbars: one Tab
// stop each, arrow keys within (keyboard.js).

import { rovingFocus } from "./keyboard.js";

const $ = (id) => document.getElementById(id);

function pressed(buttons, predicate) {
  for (const button of buttons) button.setAttribute("aria-pressed", String(predicate(button)));
}

function chip(text, data) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "ob-chip";
  button.textContent = text;
  button.dataset.subjectKind = data.subjectKind;
  button.dataset.subjectCode = data.subjectCode;
  return button;
}

export class Seats {
  constructor(form, { onSubject, onFocus }) {
    this.form = form;
    this.onSubject = onSubject;
    this.onFocus = onFocus;
    this.layout = {};
    this.kind = "whole_class";
    this.code = null;
    this.focus = []; // the codes this observer follows
    this.choosing = false;
    form.addEventListener("click", (event) => this.clicked(event));
    const buttonsOf = (box) => [...box.querySelectorAll("button")];
    this.chart = rovingFocus($("seats"), {
      grid: true,
      rows: () => [...$("seats").querySelectorAll("[role=row]")].map(buttonsOf),
    });
    rovingFocus($("whole"), { rows: () => [buttonsOf($("whole"))] });
    this.focusRow = rovingFocus($("focus-row"), { rows: () => [buttonsOf($("focus-row"))] });
  }

  // {kind, code}: what the next note is filed under.
  subject() {
    return { kind: this.kind, code: this.code };
  }

  // The chart of a lesson; `focus` is the codes to show as followed, or null to keep them.
  show(layout, focus) {
    this.layout = layout ?? {};
    if (focus) this.focus = [...focus];
    const cell = (button) => {
      const wrap = document.createElement("span");
      wrap.className = "ob-cell";
      wrap.setAttribute("role", "gridcell");
      wrap.append(button);
      return wrap;
    };
    this.chart.redraw(() => {
      const rows = Object.entries(this.layout).map(([group, seats]) => {
        const row = document.createElement("div");
        row.className = "ob-seat-group";
        row.setAttribute("role", "row");
        const groupButton = chip(group, { subjectKind: "group", subjectCode: group });
        groupButton.classList.add("ob-chip--group");
        row.append(cell(groupButton));
        for (const seat of seats) row.append(cell(chip(seat, { subjectKind: "seat", subjectCode: seat })));
        return row;
      });
      $("seats").replaceChildren(...rows);
    });
    this.drawFocus();
  }

  // The focus as the server now records it (null: keep what is shown).
  showFocus(focus) {
    if (focus) this.focus = [...focus];
    this.drawFocus();
  }

  isGroup(code) {
    return Object.hasOwn(this.layout, code);
  }

  drawFocus() {
    const row = $("focus-row");
    const chips = this.focus.map((code) => {
      const button = chip(code, { subjectKind: this.isGroup(code) ? "group" : "seat", subjectCode: code });
      button.classList.add("ob-chip--focus");
      return button;
    });
    this.focusRow.redraw(() => row.replaceChildren(...chips));
    row.hidden = chips.length === 0 || this.choosing;
    const choosing = this.choosing;
    $("focus-mode").textContent = choosing ? "Done choosing focus" : "My focus";
    $("focus-mode").setAttribute("aria-pressed", String(choosing));
    $("focus-help").hidden = !choosing;
    $("seats").classList.toggle("ob-seats--choosing", choosing);
    for (const button of $("seats").querySelectorAll("[data-subject-code]")) {
      button.classList.toggle("ob-chip--focus", this.focus.includes(button.dataset.subjectCode));
    }
    this.markSubject();
  }

  toggleFocus(code) {
    this.focus = this.focus.includes(code) ? this.focus.filter((c) => c !== code) : [...this.focus, code];
    this.onFocus([...this.focus]);
    this.drawFocus();
  }

  markSubject() {
    this.onSubject(this.subject());
    pressed(this.form.querySelectorAll("[data-subject-kind]"), (b) => {
      // While choosing focus, a seat is "pressed" when it is followed.
      if (this.choosing && $("seats").contains(b)) return this.focus.includes(b.dataset.subjectCode);
      return b.dataset.subjectKind === this.kind && (b.dataset.subjectCode ?? null) === (this.code ?? null);
    });
  }

  // The form's other buttons (kind, tags) are the composer's.
  clicked(event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.id === "focus-mode") {
      this.choosing = !this.choosing;
      this.drawFocus();
    } else if (this.choosing && button.dataset.subjectCode && $("seats").contains(button)) {
      this.toggleFocus(button.dataset.subjectCode);
    } else if (button.dataset.subjectKind) {
      this.kind = button.dataset.subjectKind;
      this.code = button.dataset.subjectCode ?? null;
      this.markSubject();
    }
  }
}
