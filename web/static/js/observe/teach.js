// The instructor's (or facilitator's) controls: start, mode, current step, end, and a
// join code for guests. Each button is one REST call; the room hears the change.

import { api } from "../api.js";

const root = document.getElementById("teach");
const teachingId = root.dataset.teachingId;
const base = `/api/v1/teachings/${teachingId}`;
const $ = (id) => document.getElementById(id);

function fail(answer) {
  $("teach-error").textContent = answer.error?.message ?? "That did not work.";
  $("teach-error").hidden = false;
}

function show(teaching) {
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
  if (teaching.steps) drawSteps(teaching.steps);
  for (const button of $("steps").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.step === teaching.current_step_id));
    button.disabled = teaching.status !== "started";
  }
}

function drawSteps(steps) {
  $("steps").replaceChildren(...steps.map((step) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "ob-chip ob-step-button";
    button.dataset.step = step.id;
    button.textContent = step.activity || step.key_question || "Step";
    li.append(button);
    return li;
  }));
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
