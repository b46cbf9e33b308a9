// The post-lesson discussion page, for the projector and for laptops in the room.
// Everyone sees one board: each change goes to the server as an acknowledged
// Socket.IO event, and comes back to every page, whole, with its version.

import { api, uuid } from "../api.js";
import { Board } from "./board.js";
import { button, el, timeOf } from "./dom.js";
import { Findings } from "./findings.js";
import { setUpInvite } from "./invite.js";
import { CataloguePick } from "./pick.js";
import { connectDiscussion } from "./room.js";
import { loadComparison, renderStep } from "./steps.js";
import { CLUSTERING, PANELS, PHASE_LABELS, PROMPTS, SHORT_LABELS } from "./words.js";

const root = document.getElementById("discussion");
const discussionId = root.dataset.discussionId;
const $ = (id) => document.getElementById(id);

let board = null; // {discussion, teaching, notes, misconceptions, you}
let notes = new Map();
let comparison = null;
let goals = "";
let taskId = null;
const picked = {}; // entries found or named in the catalogue here, kept across rejoins
let stepIndex = 0;

const nameOf = (personId) => board?.teaching.people?.[personId]?.name ?? "someone";
const stepNumber = (stepId) => (board?.teaching.steps ?? []).findIndex((s) => s.id === stepId) + 1;

// Who or what a note is about, and where: never a student's name (codes only).
function label(note) {
  const about = note.subject_code || { teacher: "Teacher", whole_class: "Whole class" }[note.subject_kind] || "Class";
  const step = stepNumber(note.step_id);
  return step ? `${about} · step ${step}` : about;
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

function say(message) {
  const box = $("notice");
  box.textContent = message;
  box.hidden = !message;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => {
    box.hidden = true;
  }, 6000);
}

async function send(event, body, failed = "Not saved") {
  showError("");
  const ack = await room.emit(event, body);
  if (!ack) {
    showError(`${failed}: no connection to the server. Try again in a moment.`);
    return null;
  }
  if (ack.error) {
    if (ack.error.current?.discussion) apply(ack.error.current.discussion);
    showError(`${failed}: ${ack.error.message}`);
    return ack;
  }
  apply(ack.discussion);
  return ack;
}

function apply(discussion) {
  if (!board || discussion.version < board.discussion.version) return; // older than what we show
  board.discussion = discussion;
  for (const m of discussion.confirmed) board.misconceptions[m.misconception_id] = m.statement;
  render();
  learnNames(discussion);
}

// Someone who joined after this page opened (a guest invited to the discussion) is not
// among the people the board named: read the board again for their name.
async function learnNames(discussion) {
  const people = board.teaching.people ?? {};
  const said = [...discussion.contributions, ...discussion.claims, ...discussion.patterns];
  if (learnNames.asking || said.every((item) => !item.by || item.by in people)) return;
  learnNames.asking = true;
  const fresh = await api("GET", `/api/v1/discussions/${discussionId}`);
  learnNames.asking = false;
  if (fresh.ok) {
    board.teaching.people = fresh.data.teaching.people;
    render();
  }
}

function renderPhases() {
  const { discussion, you } = board;
  const here = discussion.phases.indexOf(discussion.phase);
  const wentBack = new Set(discussion.phase_log.filter((e) => e.direction === "back").map((e) => e.phase));
  $("phases").replaceChildren(
    ...discussion.phases.map((phase, i) => {
      const li = el("li", "ds-phase");
      if (discussion.phase === "closed" || i < here) li.classList.add("is-done");
      if (i === here) {
        li.classList.add("is-current");
        li.setAttribute("aria-current", "step");
      }
      if (wentBack.has(phase)) li.classList.add("is-revisited");
      const text = `${i + 1}. ${SHORT_LABELS[phase]}`;
      if (you.facilitator && i < here) {
        li.append(button(text, "ds-phase__back", () => movePhase(phase)));
        li.lastChild.title = `Go back to ${PHASE_LABELS[phase]}`;
      } else {
        li.append(el("span", null, text));
      }
      return li;
    }),
  );
  $("phase-title").textContent = PHASE_LABELS[discussion.phase] ?? discussion.phase;
  $("phase-prompt").textContent = PROMPTS[discussion.phase] ?? "";
  if (discussion.phase === "evaluation" && goals) $("phase-prompt").textContent += ` Lesson goals: ${goals}`;
  const back = discussion.phase_log.filter((e) => e.direction === "back");
  $("phase-history").textContent = back.length
    ? back.map((e) => `Went back to ${PHASE_LABELS[e.phase]} at ${timeOf(e.at)} (${nameOf(e.by)})`).join(" · ")
    : "";
  const moves = $("facilitate");
  moves.hidden = !you.facilitator || discussion.phase === "closed";
  const next = discussion.phases[here + 1];
  const prev = discussion.phases[here - 1];
  $("phase-next").hidden = !next;
  $("phase-next").textContent = next ? `Next: ${SHORT_LABELS[next]} ▶` : "";
  $("phase-back").hidden = !prev;
  $("phase-back").textContent = prev ? `◀ Back to ${SHORT_LABELS[prev]}` : "";
}

async function movePhase(phase) {
  await send("discussion:phase", { phase, from_phase: board.discussion.phase }, "Phase not changed");
}

function renderTalk() {
  const { discussion, you, teaching } = board;
  const said = discussion.contributions.filter((c) => c.phase === discussion.phase);
  $("talk").replaceChildren(
    ...said.map((c) => {
      const li = el("li", "ds-said");
      li.append(el("span", "ds-said__who", nameOf(c.by)), el("span", "ds-said__text", c.text));
      if (c.step_id) li.append(el("span", "ds-said__step", `step ${stepNumber(c.step_id)}`));
      return li;
    }),
  );
  if (!said.length) $("talk").append(el("li", "ds-empty", "Nothing noted in this phase yet."));
  const instructorFirst = discussion.phase === "instructor_reflection" && you.person_id !== teaching.instructor_id;
  $("talk-form").hidden = instructorFirst || discussion.phase === "closed";
  $("talk-label").textContent = instructorFirst
    ? "The instructor speaks first."
    : discussion.phase === "observations"
      ? "Add what was said about this step"
      : "Add what was said";
}

function renderSteps() {
  const steps = board.teaching.steps ?? [];
  stepIndex = Math.min(Math.max(stepIndex, 0), Math.max(steps.length - 1, 0));
  renderStep({
    root: $("step-view"),
    where: $("step-where"),
    step: steps[stepIndex],
    index: stepIndex,
    count: steps.length,
    notes: [...notes.values()],
    comparison,
    label,
    misconceptions: board.misconceptions,
  });
  $("step-prev").disabled = stepIndex <= 0;
  $("step-next").disabled = stepIndex >= steps.length - 1;
}

function render() {
  const phase = board.discussion.phase;
  const shown = new Set(PANELS[phase] ?? []);
  for (const name of ["steps", "board", "findings", "talk"]) $(`panel-${name}`).hidden = !shown.has(name);
  root.dataset.phase = phase;
  renderPhases();
  showInvite(board.you, board.discussion);
  if (shown.has("talk")) renderTalk();
  if (shown.has("steps")) renderSteps();
  if (shown.has("board")) boardView.render(board.discussion, [...notes.values()], CLUSTERING.has(phase));
  if (shown.has("findings")) findings.render(board, notes);
}

const showInvite = setUpInvite({ button: $("invite-guest"), box: $("invite-box"), discussionId });

new CataloguePick({
  input: $("confirm-search"),
  list: $("confirm-found"),
  hint: $("confirm-pick-hint"),
  context: () => ({ teamId: board.discussion.team_id, taskId }),
  onPick(id, statement) {
    picked[id] = statement;
    board.misconceptions[id] = statement;
    render();
    $("confirm-which").value = id;
  },
});

const boardView = new Board({
  wall: $("wall-cards"),
  clusters: $("clusters"),
  newPattern: $("new-pattern"),
  help: $("board-help"),
  label,
  send: (event, body) => send(event, body, event === "discussion:place" ? "Not moved" : "Not saved"),
});

const findings = new Findings({
  claims: $("claims"),
  confirmed: $("confirmed"),
  revisions: $("revisions"),
  claimForm: $("claim-form"),
  confirmForm: $("confirm-form"),
  revisionForm: $("revision-form"),
  label,
  send,
  say,
});

$("phase-next").addEventListener("click", () => {
  const { phases, phase } = board.discussion;
  movePhase(phases[phases.indexOf(phase) + 1]);
});
$("phase-back").addEventListener("click", () => {
  const { phases, phase } = board.discussion;
  movePhase(phases[phases.indexOf(phase) - 1]);
});
$("step-prev").addEventListener("click", () => {
  stepIndex -= 1;
  renderSteps();
});
$("step-next").addEventListener("click", () => {
  stepIndex += 1;
  renderSteps();
});
$("talk-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("talk-text").value.trim();
  if (!text) return;
  const body = { contribution_id: uuid(), text, note_ids: [] };
  if (board.discussion.phase === "observations") body.step_id = board.teaching.steps?.[stepIndex]?.id ?? null;
  const ack = await send("discussion:contribute", body, "Not added");
  if (ack?.ok) $("talk-text").value = "";
});

const room = connectDiscussion({
  discussionId,
  async onBoard(ack) {
    const first = board === null;
    const keepNewer = board && board.discussion.version > ack.discussion.version;
    board = { ...ack, discussion: keepNewer ? board.discussion : ack.discussion };
    board.misconceptions = { ...ack.misconceptions, ...picked };
    notes = new Map(ack.notes.map((n) => [n.note_id, n]));
    $("lesson-line").textContent = `Class ${ack.teaching.class_label}`;
    render();
    if (first) {
      comparison = await loadComparison(ack.teaching.id);
      const plan = await api("GET", `/api/v1/lessons/${ack.teaching.lesson_id}/plan`);
      if (plan.ok) {
        goals = plan.data.fields?.lesson_goals ?? "";
        taskId = plan.data.task_id ?? null;
      }
      render();
    }
  },
  onChanged(message) {
    apply(message.discussion);
  },
  onRefused(error) {
    showError(error.message);
  },
});
