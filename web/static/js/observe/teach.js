// The instructor's (or facilitator's) controls: start, mode, current step, end, and a
// join code for guests. Each button is one REST call; the room hears the change. The
// page is in the room too, so it shows live, without a reload, what anyone changed,
// how many observers are in and how many notes each step has.

import { api } from "../api.js";
import { connectTeaching } from "./live.js";
import { Notebook } from "./notebook.js";
import { readOnlyOutbox } from "./store.js";

const root = document.getElementById("teach");
const teachingId = root.dataset.teachingId;
const base = `/api/v1/teachings/${teachingId}`;
const $ = (id) => document.getElementById(id);
const MODES = { whole_class: "Whole class", group: "Groups", pairs: "Pairs", individual: "Individual" };

const notebook = new Notebook();
let teaching = null;
let steps = [];
let me = null;
let present = [];

function fail(answer) {
  $("teach-error").textContent = answer.error?.message ?? "That did not work.";
  $("teach-error").hidden = false;
}

function stepTitle(step) {
  return step.activity || step.key_question || "Step";
}

function show(changed) {
  teaching = { ...teaching, ...changed };
  if (changed.steps) {
    steps = changed.steps;
    drawSteps();
  }
  $("teach-error").hidden = true;
  const words = { scheduled: "Not started", started: "In progress", ended: "Ended" };
  $("status").textContent = words[teaching.status] ?? teaching.status;
  $("status").dataset.state = teaching.status;
  $("status").className = `pill pill--${teaching.status === "started" ? "live" : "connecting"}`;
  $("class-label").textContent = teaching.class_label;
  $("start").hidden = teaching.status !== "scheduled";
  $("end").hidden = teaching.status !== "started";
  for (const button of $("modes").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.mode === teaching.mode));
    button.disabled = teaching.status !== "started";
  }
  for (const button of $("steps").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.step === teaching.current_step_id));
    button.disabled = teaching.status !== "started";
  }
  const index = steps.findIndex((step) => step.id === teaching.current_step_id);
  $("now-step").textContent = index < 0 ? "–" : `${index + 1}. ${stepTitle(steps[index])}`;
  $("now-mode").textContent = MODES[teaching.mode] ?? "–";
  showCounts();
}

function drawSteps() {
  $("steps").replaceChildren(...steps.map((step) => {
    const li = document.createElement("li");
    li.className = "ob-step-row";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "ob-chip ob-step-button";
    button.dataset.step = step.id;
    button.textContent = stepTitle(step);
    const count = document.createElement("span");
    count.className = "ob-step-count";
    count.dataset.stepCount = step.id;
    count.textContent = "0";
    count.title = "Notes on this step";
    li.append(button, count);
    return li;
  }));
}

// Notes per step (retracted ones no longer count) and the people in the room.
function showCounts() {
  const perStep = new Map();
  let total = 0;
  for (const note of notebook.list()) {
    if (note.retracted) continue;
    perStep.set(note.step_id, (perStep.get(note.step_id) ?? 0) + 1);
    total += 1;
  }
  for (const badge of $("steps").querySelectorAll("[data-step-count]")) {
    const count = perStep.get(badge.dataset.stepCount) ?? 0;
    badge.textContent = String(count);
    badge.setAttribute("aria-label", `${count} notes`);
  }
  $("notes-total").textContent = String(total);
  $("notes-total").dataset.count = String(total);
  // Observers: everyone with the lesson open but the person at this page.
  const observers = present.filter((id) => id !== me);
  $("observers-in").textContent = String(observers.length);
  $("observers-in").dataset.count = String(observers.length);
  // Each with whom they follow (their focus), so the instructor knows who watches whom.
  const names = observers.map((id) => {
    const name = teaching?.people?.[id]?.name ?? teaching?.guests?.[id]?.name ?? "a guest";
    const codes = teaching?.focus?.[id] ?? [];
    return codes.length ? `${name} (follows ${codes.join(", ")})` : name;
  });
  $("observer-names").textContent = names.length ? `Observing: ${names.sort().join(", ")}` : "No observers yet.";
}

async function call(method, path, body) {
  const answer = await api(method, `${base}${path}`, body);
  if (answer.ok) show(answer.data);
  else fail(answer);
}

$("start").addEventListener("click", () => call("POST", "/start", {}));
$("end").addEventListener("click", () => call("POST", "/end"));
$("modes").addEventListener("click", (event) => {
  const mode = event.target.closest("button")?.dataset.mode;
  if (mode) call("PUT", "/mode", { mode });
});
$("steps").addEventListener("click", (event) => {
  const step_id = event.target.closest("button")?.dataset.step;
  if (step_id) call("PUT", "/step", { step_id });
});
$("open").addEventListener("click", async () => {
  const answer = await api("POST", `${base}/join-code`);
  if (!answer.ok) return fail(answer);
  $("join-code").textContent = answer.data.join_code;
  $("join-url").textContent = `${window.location.origin}/teachings/${teachingId}/join`;
  $("code-box").hidden = false;
});

const first = await api("GET", base);
if (first.ok) show(first.data);
else fail(first);

notebook.onChange(showCounts);
const live = connectTeaching({
  teachingId,
  notebook,
  outbox: readOnlyOutbox,
  async onJoined(ack) {
    me = ack.you.person_id;
    show(ack.teaching);
    // Say this page is here (every connect is a new connection), and hear who else is.
    const answer = await live.emit("teaching:presence", { teaching_id: teachingId });
    if (answer?.ok) {
      present = answer.people;
      showCounts();
    }
  },
  onTeaching(message) {
    show(message.teaching);
  },
});
live.socket.on("teaching:presence", (message) => {
  if (message?.teaching_id !== teachingId) return;
  present = message.people ?? [];
  showCounts();
});
