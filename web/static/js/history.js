// The history page: times in the reader's own time zone, and a readable diff between
// two revisions (from the API), shown as before / after for each changed part.

import { api } from "./api.js";

for (const time of document.querySelectorAll("time.local-time")) {
  const at = new Date(time.dateTime);
  if (!Number.isNaN(at.getTime())) {
    time.textContent = at.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    time.title = time.dateTime;
  }
}

const page = JSON.parse(document.getElementById("page-data")?.textContent ?? "{}");
const names = page.names ?? {};
const misconceptions = page.misconceptions ?? {};
const form = document.getElementById("compare");
const output = document.getElementById("diff");

const STEP_WORDS = {
  activity: "Activity",
  key_question: "Key question",
  teacher_support: "Teacher support",
  points_to_notice: "Points to notice",
  minutes: "Minutes",
};
const KIND_WORDS = { correct_strategy: "Correct strategy", misconception: "Misconception" };

// A value as a teacher would read it: a step as its labelled parts, a response as its
// kind and words, a layout as "G1: G1-S1, G1-S2" lines.
function shown(value, part = "") {
  if (value === null || value === undefined || value === "") return "";
  if (part.endsWith("instructor_id")) return names[value] ?? value;
  if (part.endsWith("misconception_id")) return misconceptions[value] ?? "a catalogued misconception";
  if (part === "focus" && typeof value === "object") {
    return Object.entries(value).map(([who, codes]) => `${names[who] ?? who}: ${codes.join(", ")}`).join("\n");
  }
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(shown).join(", ");
  if (typeof value === "object" && "text" in value && "kind" in value) {
    const linked = value.misconception_id
      ? ` (catalogue: ${misconceptions[value.misconception_id] ?? "a catalogued misconception"})`
      : "";
    return `${KIND_WORDS[value.kind] ?? value.kind}: ${value.text}${linked}`;
  }
  if (typeof value === "object" && "activity" in value) {
    const lines = Object.entries(STEP_WORDS)
      .filter(([key]) => value[key])
      .map(([key, word]) => `${word}: ${value[key]}`);
    for (const response of value.responses ?? []) lines.push(`• ${shown(response)}`);
    return lines.join("\n");
  }
  if (typeof value === "object") {
    return Object.entries(value).map(([k, v]) => `${k}: ${shown(v)}`).join("\n");
  }
  return String(value);
}

function side(className, title, value, part) {
  const box = document.createElement("div");
  box.className = `diff__side ${className}`;
  const heading = document.createElement("span");
  heading.className = "diff__side-title";
  heading.textContent = title;
  const body = document.createElement("p");
  body.className = "diff__text";
  const text = shown(value, part);
  body.textContent = text || "(empty)";
  if (!text) body.classList.add("is-empty");
  box.append(heading, body);
  return box;
}

function render(target, from, to, changes) {
  target.replaceChildren();
  const summary = document.createElement("p");
  summary.className = "diff__summary";
  summary.textContent = changes.length
    ? `${changes.length} ${changes.length === 1 ? "part differs" : "parts differ"} between revision ${from} and revision ${to}.`
    : `Nothing differs between revision ${from} and revision ${to}.`;
  target.append(summary);
  const list = document.createElement("ol");
  list.className = "diff";
  for (const change of changes) {
    const item = document.createElement("li");
    item.className = `diff__item diff__item--${change.kind ?? "changed"}`;
    const head = document.createElement("p");
    head.className = "diff__label";
    const label = document.createElement("strong");
    label.textContent = change.label ?? change.part;
    const kind = document.createElement("span");
    kind.className = "tag";
    kind.textContent = String(change.kind ?? "changed").replaceAll("_", " ");
    head.append(label, " ", kind);
    const sides = document.createElement("div");
    sides.className = "diff__sides";
    sides.append(
      side("diff__side--before", `Revision ${from}`, change.before, change.part),
      side("diff__side--after", `Revision ${to}`, change.after, change.part),
    );
    item.append(head, sides);
    list.append(item);
  }
  target.append(list);
}

async function compare(from, to, target = output) {
  target.textContent = "Comparing…";
  const params = new URLSearchParams({ from, to });
  const result = await api("GET", `/api/v1/lessons/${form.dataset.lessonId}/diff?${params}`);
  if (!result.ok) {
    target.textContent = `The revisions could not be compared: ${result.error?.message ?? "no connection"}.`;
    return;
  }
  render(target, from, to, result.data?.changes ?? []);
}

form?.addEventListener("submit", (event) => {
  event.preventDefault();
  const from = Number(form.elements.from.value);
  const to = Number(form.elements.to.value);
  compare(Math.min(from, to), Math.max(from, to));
});

// Ticking two changes compares the plan just before the older one with the newer one.
for (const box of document.querySelectorAll("input.pick")) {
  box.addEventListener("change", () => {
    const ticked = [...document.querySelectorAll("input.pick:checked")].map((b) => Number(b.value));
    if (ticked.length === 1 && box.checked) {
      form.elements.from.value = Math.max(ticked[0] - 1, 1);
      form.elements.to.value = ticked[0];
    }
    if (ticked.length >= 2) {
      const [low, high] = [Math.min(...ticked), Math.max(...ticked)];
      form.elements.from.value = Math.max(low - 1, 1);
      form.elements.to.value = high;
      for (const other of document.querySelectorAll("input.pick:checked")) {
        if (![low, high].includes(Number(other.value))) other.checked = false;
      }
      compare(Math.max(low - 1, 1), high);
    }
  });
}

// "what changed" under one entry: the plan just before it against the plan after it.
for (const button of document.querySelectorAll("button.show-change")) {
  button.addEventListener("click", () => {
    const box = button.closest(".timeline__body").querySelector(".timeline__diff");
    const opening = box.hidden;
    box.hidden = !opening;
    button.setAttribute("aria-expanded", String(opening));
    if (opening && !box.dataset.loaded) {
      box.dataset.loaded = "yes";
      const revision = Number(button.dataset.revision);
      compare(revision - 1, revision, box);
    }
  });
}
