// Observers' data, plan step by plan step: the step's notes, and anticipated against
// observed (which anticipated responses occurred, which did not, what nobody
// anticipated). The catalogue's comparison for the teaching is used when the reader
// may see it; a guest's page works it out from the same notes and the plan as taught.

import { api } from "../api.js";
import { el } from "./dom.js";

export async function loadComparison(teachingId) {
  const answer = await api("GET", `/api/v1/catalogue/teachings/${teachingId}/comparison`);
  if (!answer.ok) return null;
  const occurred = new Map();
  for (const a of answer.data.anticipated ?? []) occurred.set(a.response_id, a);
  return occurred;
}

// The same numbers from the notes on the page: a note tagged with a response shows it.
function observedHere(response, notes) {
  const tagged = notes.filter((n) => (n.response_ids ?? []).includes(response.id));
  return { occurred: tagged.length > 0, notes: tagged.length };
}

function noteLine(note, label) {
  const li = el("li", "ds-quote");
  li.append(el("span", "ds-quote__who", label(note)), el("span", "ds-quote__text", note.text));
  return li;
}

export function renderStep({ root, where, step, index, count, notes, comparison, label, misconceptions }) {
  where.textContent = count ? `Step ${index + 1} of ${count}` : "No steps";
  root.replaceChildren();
  if (!step) return;
  const head = el("div", "ds-step__head");
  head.append(el("h3", "ds-step__title", step.activity || `Step ${index + 1}`));
  if (step.key_question) head.append(el("p", "ds-step__question", step.key_question));
  const stepNotes = notes.filter((n) => n.step_id === step.id);

  const anticipated = el("section", "ds-step__col");
  anticipated.append(el("h4", null, "Anticipated"));
  const list = el("ul", "ds-anticipated");
  for (const response of step.responses ?? []) {
    const seen = comparison?.get(response.id) ?? observedHere(response, stepNotes);
    const li = el("li", `ds-anticipated__item ${seen.occurred ? "is-seen" : "is-unseen"}`);
    li.append(
      el("span", "ds-anticipated__mark", seen.occurred ? "✓ Occurred" : "✗ Did not occur"),
      el("span", "ds-anticipated__text", response.text),
    );
    const kind = response.kind === "misconception" ? "Misconception" : "Correct strategy";
    const name = response.misconception_id ? misconceptions[response.misconception_id] : "";
    li.append(el("span", "ds-anticipated__kind", name && name !== response.text ? `${kind}: ${name}` : kind));
    if (seen.occurred) li.append(el("span", "ds-anticipated__count", `${seen.notes} note${seen.notes === 1 ? "" : "s"}`));
    list.append(li);
  }
  if (!list.children.length) list.append(el("li", "ds-empty", "No responses were anticipated for this step."));
  anticipated.append(list);

  const surprises = el("section", "ds-step__col");
  surprises.append(el("h4", null, "Not anticipated"));
  const unanticipated = el("ul", "ds-quotes");
  unanticipated.append(...stepNotes.filter((n) => n.unanticipated).map((n) => noteLine(n, label)));
  if (!unanticipated.children.length) unanticipated.append(el("li", "ds-empty", "Nothing marked as unanticipated."));
  surprises.append(unanticipated);

  const all = el("section", "ds-step__col ds-step__notes");
  all.append(el("h4", null, `Notes at this step (${stepNotes.length})`));
  const quotes = el("ul", "ds-quotes");
  quotes.append(...stepNotes.map((n) => noteLine(n, label)));
  if (!quotes.children.length) quotes.append(el("li", "ds-empty", "No notes at this step."));
  all.append(quotes);

  const grid = el("div", "ds-step__grid");
  grid.append(anticipated, surprises, all);
  root.append(head, grid);
}
