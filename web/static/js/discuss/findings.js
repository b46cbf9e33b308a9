// Findings about student thinking: claims, confirmed misconceptions and proposed
// revisions, each with the notes it cites beside it. Evidence first: the forms ask
// for the notes before the button, and the server refuses a finding without them.

import { uuid } from "../api.js";
import { button, el } from "./dom.js";
import { CLAIMING, CONFIRMING, REVISING, STATUS_LABELS } from "./words.js";

const FIELD_LABELS = {
  teacher_support: "teacher response",
  key_question: "key question",
  activity: "activity",
  points_to_notice: "points to notice",
  minutes: "minutes",
};

// The notes a finding cites, quoted beside it.
function evidence(noteIds, notes, label) {
  const box = el("div", "ds-evidence");
  box.append(el("span", "ds-evidence__head", `Evidence: ${noteIds.length} note${noteIds.length === 1 ? "" : "s"}`));
  const list = el("ul", "ds-quotes");
  for (const id of noteIds) {
    const note = notes.get(id);
    const li = el("li", "ds-quote");
    li.append(el("span", "ds-quote__who", note ? label(note) : "note"), el("span", "ds-quote__text", note ? note.text : id));
    list.append(li);
  }
  box.append(list);
  return box;
}

function finding(main, noteIds, notes, label) {
  const li = el("li", "ds-finding");
  const body = el("div", "ds-finding__main");
  body.append(...main);
  li.append(body, evidence(noteIds, notes, label));
  return li;
}

function changeText(change, steps) {
  const number = steps.findIndex((s) => s.id === change.step_id) + 1;
  const where = number ? `Step ${number}` : "The plan";
  if (change.op === "anticipate_response") return `${where}: anticipate “${change.text}”`;
  if (change.op === "change_step") return `${where}, ${FIELD_LABELS[change.field] ?? change.field}: ${change.value}`;
  if (change.op === "add_step") return `New step: ${change.fields?.activity ?? ""}`;
  return `${change.field}: ${change.value}`;
}

export class Findings {
  constructor({ claims, confirmed, revisions, claimForm, confirmForm, revisionForm, label, send, say }) {
    Object.assign(this, { claims, confirmed, revisions, claimForm, confirmForm, revisionForm, label, send, say });
    this.board = null;
    claimForm.addEventListener("submit", (e) => this.submit(e, "claim"));
    confirmForm.addEventListener("submit", (e) => this.submit(e, "confirm"));
    revisionForm.addEventListener("submit", (e) => this.submit(e, "propose"));
  }

  render(board, notes) {
    this.board = board;
    const { discussion, you, teaching } = board;
    const steps = teaching.steps ?? [];
    const phase = discussion.phase;
    this.claims.replaceChildren(
      ...discussion.claims.map((c) => finding([el("p", "ds-finding__text", c.text)], c.note_ids, notes, this.label)),
    );
    if (!this.claims.children.length) this.claims.append(el("li", "ds-empty", "No claims yet."));
    this.confirmed.replaceChildren(
      ...discussion.confirmed.map((m) => {
        const main = [el("p", "ds-finding__text", m.statement)];
        if (m.helpful_responses) main.push(el("p", "ds-finding__sub", `Helped: ${m.helpful_responses}`));
        return finding(main, m.note_ids, notes, this.label);
      }),
    );
    if (!this.confirmed.children.length) this.confirmed.append(el("li", "ds-empty", "None confirmed yet."));
    this.revisions.replaceChildren(
      ...discussion.revisions.map((r) => {
        const status = el("span", `ds-status ds-status--${r.status}`, STATUS_LABELS[r.status] ?? r.status);
        const main = [el("p", "ds-finding__text", r.summary), status];
        const changes = el("ul", "ds-changes");
        changes.append(...r.changes.map((c) => el("li", null, changeText(c, steps))));
        main.push(changes);
        if (you.facilitator && REVISING.has(phase)) {
          const decide = el("div", "ds-decide");
          if (r.status !== "accepted") decide.append(button("Accept", "button--primary", () => this.decide(r, true)));
          if (r.status !== "rejected") decide.append(button("Don't take it", null, () => this.decide(r, false)));
          main.push(decide);
        }
        return finding(main, r.note_ids, notes, this.label);
      }),
    );
    if (!this.revisions.children.length) this.revisions.append(el("li", "ds-empty", "No revisions proposed yet."));

    this.claimForm.hidden = !CLAIMING.has(phase);
    this.confirmForm.hidden = !(CONFIRMING.has(phase) && you.facilitator);
    this.revisionForm.hidden = !REVISING.has(phase);
    this.fillChoices(board, notes);
  }

  fillChoices(board, notes) {
    const select = this.confirmForm.elements.misconception_id;
    const chosen = select.value;
    select.replaceChildren(
      ...Object.entries(board.misconceptions).map(([id, statement]) => {
        const option = el("option", null, statement);
        option.value = id;
        return option;
      }),
    );
    if (chosen) select.value = chosen;
    const steps = this.revisionForm.elements.step_id;
    const step = steps.value;
    steps.replaceChildren(
      ...(board.teaching.steps ?? []).map((s, i) => {
        const option = el("option", null, `Step ${i + 1}: ${s.activity || ""}`);
        option.value = s.id;
        return option;
      }),
    );
    if (step) steps.value = step;
    for (const form of [this.claimForm, this.confirmForm, this.revisionForm]) {
      if (!form.hidden) this.fillCitations(form, board, notes);
    }
  }

  // Checkboxes for the notes, grouped by pattern; "all of this pattern" ticks a group.
  fillCitations(form, board, notes) {
    const box = form.querySelector("[data-cite]");
    const ticked = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
    const groups = board.discussion.patterns.map((p) => [p.name, p.note_ids]);
    const placed = new Set(groups.flatMap(([, ids]) => ids));
    const rest = [...notes.keys()].filter((id) => !placed.has(id));
    if (rest.length) groups.push(["Not in a pattern", rest]);
    box.replaceChildren();
    for (const [name, ids] of groups) {
      const group = el("div", "ds-cite__group");
      const head = el("div", "ds-cite__head");
      head.append(el("span", "ds-cite__name", name));
      const boxes = [];
      head.append(
        button("Cite all", "button--quiet ds-cite__all", () => {
          for (const input of boxes) input.checked = true;
        }),
      );
      group.append(head);
      for (const id of ids) {
        const note = notes.get(id);
        if (!note) continue;
        const label = el("label", "ds-cite__note");
        const input = el("input");
        input.type = "checkbox";
        input.name = "note_ids";
        input.value = id;
        input.checked = ticked.has(id);
        boxes.push(input);
        label.append(input, el("span", null, `${this.label(note)}: ${note.text}`));
        group.append(label);
      }
      box.append(group);
    }
  }

  async submit(event, change) {
    event.preventDefault();
    const form = event.target;
    const noteIds = [...form.querySelectorAll('input[name="note_ids"]:checked')].map((i) => i.value);
    let body;
    if (change === "claim") {
      body = { claim_id: uuid(), text: form.elements.text.value.trim(), note_ids: noteIds };
    } else if (change === "confirm") {
      body = {
        misconception_id: form.elements.misconception_id.value,
        note_ids: noteIds,
        helpful_responses: form.elements.helpful_responses.value.trim(),
      };
    } else {
      body = {
        revision_id: uuid(),
        summary: form.elements.summary.value.trim(),
        changes: [this.planChange(form)],
        note_ids: noteIds,
      };
    }
    const ack = await this.send(`discussion:${change}`, body, {
      confirm: "Not confirmed",
      claim: "Claim not added",
      propose: "Revision not proposed",
    }[change]);
    if (ack?.ok) {
      form.reset();
      for (const input of form.querySelectorAll('input[name="note_ids"]')) input.checked = false;
      this.say(change === "confirm" ? "Confirmed, with its evidence." : "Added.");
    }
  }

  planChange(form) {
    const stepId = form.elements.step_id.value;
    const op = form.elements.op.value;
    const value = form.elements.value.value.trim();
    if (op.startsWith("anticipate:")) {
      return { op: "anticipate_response", step_id: stepId, response_id: uuid(), kind: op.split(":")[1], text: value };
    }
    return { op: "change_step", step_id: stepId, field: op, value: op === "minutes" ? Number(value) : value };
  }

  async decide(revision, accept) {
    await this.send("discussion:decide", { revision_id: revision.revision_id, accept }, "Not decided");
  }
}
