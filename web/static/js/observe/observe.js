// The observer's page: tap a seat, a kind and a tag, type, send. Every note goes to the
// outbox first (outgoing.js, store.js) and then over the socket (live.js); the feed
// (feed.js) shows everyone's notes merged by id (notebook.js), and this observer's unsent
// ones marked as waiting. A photo waits on the device (photos.js) until it is uploaded;
// then its note is sent. "My focus" marks the seats or groups this observer follows:
// they are offered first (seats.js). The composer (composer.js) makes the note.
//
// This file puts the parts together and holds the lesson as last heard (the teaching and
// who this observer is): it hands each part what it draws from them, and keeps a copy on
// the device (store.js) with every change it hears, so a page reloaded without a network
// shows the lesson as it last stood, marked as possibly old, until the live connection
// brings it fresh.

import { Composer } from "./composer.js";
import { Feed } from "./feed.js";
import { keepFocusInView } from "./keyboard.js";
import { connectTeaching } from "./live.js";
import { Notebook } from "./notebook.js";
import { keepForOffline } from "./offline.js";
import { Outgoing } from "./outgoing.js";
import { PhotoQueue } from "./photos.js";
import { Seats } from "./seats.js";
import { LessonCopy, Outbox } from "./store.js";

const form = document.getElementById("compose");
const teachingId = form.dataset.teachingId;
const notebook = new Notebook();
const outbox = new Outbox(teachingId);
const lessonCopy = new LessonCopy(teachingId);
let teaching = null;
let you = null;
let fresh = false; // joined and hearing the room: the lesson shown is current

// The parts call each other only through these few functions; `live` and `composer`
// exist before the first call comes.
const outgoing = new Outgoing({
  teachingId,
  outbox,
  photos: new PhotoQueue(teachingId),
  flush: () => live.flush(),
  onPhotoDropped: (why) => composer.photoDropped(why),
});
const seats = new Seats(form, {
  onSubject: () => composer.showFiling(),
  onFocus: (codes) => outgoing.focus(codes),
});
const composer = new Composer(form, { teachingId, subject: () => seats.subject(), outgoing });
const feed = new Feed({ notebook, outgoing });

// The server's record of my focus, unless a choice made here has not reached it yet;
// null when neither says anything.
function focusOf(lesson) {
  const pending = outgoing.pendingFocus();
  if (pending) return pending;
  const mine = lesson?.focus?.[you?.person_id];
  return Array.isArray(mine) ? mine : null;
}

const STATUS = { scheduled: "not started yet", started: "in progress", ended: "ended" };
const MODES = { whole_class: "whole class", group: "groups", pairs: "pairs", individual: "individual work" };

// "5B · in progress · step 2 of 3 · groups": where the lesson is, as last heard.
function lessonLine() {
  if (!teaching) return;
  const parts = [teaching.class_label, STATUS[teaching.status] ?? teaching.status];
  const steps = teaching.steps ?? [];
  const index = steps.findIndex((step) => step.id === teaching.current_step_id);
  if (teaching.status === "started" && index >= 0) parts.push(`step ${index + 1} of ${steps.length}`);
  if (teaching.status === "started" && teaching.mode) parts.push(MODES[teaching.mode] ?? teaching.mode);
  document.getElementById("lesson-line").textContent = parts.join(" · ");
}

// The lesson on screen came from this device, last known current at `heardAt`: say so,
// and since when ("Lesson as of 10:42, offline"), until a join brings it fresh.
function showStale(heardAt) {
  const notice = document.getElementById("stale");
  if (!teaching) return;
  const when = new Date(heardAt ?? NaN);
  let since = "as last seen on this device";
  if (!Number.isNaN(when.getTime())) {
    const time = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    const today = when.toDateString() === new Date().toDateString();
    const day = today ? "" : `${when.toLocaleDateString([], { weekday: "short", day: "numeric", month: "short" })} `;
    since = `as of ${day}${time}`;
    notice.dataset.heardAt = when.toISOString();
  }
  const why = navigator.onLine ? "not connected" : "offline";
  notice.textContent = `Lesson ${since}, ${why}: the teacher may have moved on.`;
  notice.hidden = false;
}

function showFresh() {
  document.getElementById("stale").hidden = true;
}

// Keeps the lesson as now known on the device, heard now.
function keepCopy() {
  if (teaching) lessonCopy.keep({ teaching, you });
}

function showTeaching(ack) {
  teaching = ack.teaching;
  you = ack.you;
  feed.know(ack.teaching.people);
  feed.know(ack.teaching.guests);
  seats.show(teaching.class_layout, focusOf(teaching));
  composer.showSteps(teaching.steps ?? [], teaching.current_step_id);
  lessonLine();
  feed.showLesson({ you, steps: teaching.steps ?? [], layout: teaching.class_layout });
}

const live = connectTeaching({
  teachingId,
  notebook,
  outbox,
  onJoined(ack) {
    fresh = true;
    showTeaching(ack);
    keepCopy();
    showFresh();
    // Counted among the observers on the instructor's page (every connect is new).
    live.emit("teaching:presence", { teaching_id: teachingId });
  },
  onTeaching(message) {
    const before = teaching?.current_step_id;
    teaching = { ...teaching, ...message.teaching };
    feed.know(message.teaching?.guests);
    // The current step follows the lesson: a move by the teacher preselects it again.
    if (message.change === "step" && message.teaching.current_step_id !== before) {
      composer.followStep(message.teaching.current_step_id);
    }
    if (message.change === "focus") seats.showFocus(focusOf(teaching));
    lessonLine();
    keepCopy(); // start, step, mode, end, focus: a reload without a network shows it
  },
  prepare: (item) => outgoing.prepare(item),
  onRefused(error) {
    // Not admitted, or removed from the team while here: notes stay queued on this device.
    composer.showError(`Not connected: ${error.message ?? "you are no longer on this lesson's team"}`);
  },
  onAck(item, ack) {
    // My focus as stored, kept at once: its broadcast may not reach this page before the
    // network goes.
    if (ack.ok && item.event === "teaching:focus" && teaching && you) {
      teaching = { ...teaching, focus: { ...teaching.focus, [you.person_id]: [...item.payload.codes] } };
      keepCopy();
    }
    outgoing.acked(item, ack);
    composer.acked(item, ack, Boolean(ack.error) && !outgoing.has(item.id));
  },
});

// The connection went: what is on screen was true until now, and may not be from now on.
live.socket.on("disconnect", () => {
  if (!fresh) return;
  fresh = false;
  keepCopy();
  showStale(lessonCopy.remembered()?.heardAt);
});
// A page closed while connected keeps the moment it last knew the lesson to be current.
window.addEventListener("pagehide", () => {
  if (fresh) keepCopy();
});

const last = lessonCopy.remembered();
if (last?.teaching && !teaching) {
  showTeaching(last); // until the first join brings it fresh
  showStale(last.heardAt);
}
keepFocusInView({ dock: document.querySelector(".ob-dock"), bar: document.querySelector(".ob-bar") });
feed.render();
outgoing.restorePreviews().then(() => feed.render());
keepForOffline();
