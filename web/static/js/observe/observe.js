// The observer's page: tap a seat, a kind and a tag, type, send. Every note goes to the
// outbox first (outgoing.js, store.js) and then over the socket (live.js); the feed
// (feed.js) shows everyone's notes merged by id (notebook.js), and this observer's unsent
// ones marked as waiting. A photo waits on the device (photos.js) until it is uploaded;
// then its note is sent. "My focus" marks the seats or groups this observer follows:
// they are offered first (seats.js). The composer (composer.js) makes the note.
//
// This file puts the parts together and holds the lesson as joined (the teaching and
// who this observer is): it hands each part what it draws from them.

import { Composer } from "./composer.js";
import { Feed } from "./feed.js";
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

function lessonLine() {
  if (!teaching) return;
  const status = { scheduled: "not started yet", started: "in progress", ended: "ended" }[teaching.status] ?? teaching.status;
  document.getElementById("lesson-line").textContent = `${teaching.class_label} · ${status}`;
}

function showTeaching(ack) {
  teaching = ack.teaching;
  you = ack.you;
  feed.know(ack.teaching.people);
  seats.show(teaching.class_layout, focusOf(teaching));
  composer.showSteps(teaching.steps ?? [], teaching.current_step_id);
  lessonLine();
  feed.showLesson({ you, steps: teaching.steps ?? [] });
}

const live = connectTeaching({
  teachingId,
  notebook,
  outbox,
  onJoined(ack) {
    lessonCopy.remember(ack);
    showTeaching(ack);
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
  },
  prepare: (item) => outgoing.prepare(item),
  onRefused(error) {
    // Not admitted, or removed from the team while here: notes stay queued on this device.
    composer.showError(`Not connected: ${error.message ?? "you are no longer on this lesson's team"}`);
  },
  onAck(item, ack) {
    outgoing.acked(item, ack);
    composer.acked(item, ack, Boolean(ack.error) && !outgoing.has(item.id));
  },
});

const last = lessonCopy.remembered();
if (last?.teaching) showTeaching(last); // until the first join brings it fresh
feed.render();
outgoing.restorePreviews().then(() => feed.render());
keepForOffline();
