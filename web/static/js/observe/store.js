// What the observer page keeps in localStorage. The outbox: every note, amendment and
// retraction is written here *before* it is sent, and removed only when the server's ack
// says ok (docs/realtime.md §6). localStorage is synchronous, so a note is on disk by the
// time the observer sees it on the page: a reload, a crash or a flat battery loses
// nothing. And the lesson as last joined (LessonCopy).

const key = (teachingId, what) => `lessonstudy.${what}.${teachingId}`;

function read(name, fallback) {
  try {
    const raw = localStorage.getItem(name);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback; // a damaged entry must not stop the page; the server has the rest
  }
}

export class Outbox {
  constructor(teachingId) {
    this.name = key(teachingId, "outbox");
    // In memory only: the feed is rebuilt on each page load, so a fresh page must join
    // from 0 (a snapshot); later reconnects ask only for what came after.
    this.lastHead = 0;
    this.listeners = [];
  }

  // Items are {id, event, payload}: id is the note id plus the operation, so the same
  // amendment queued twice is kept once.
  items() {
    return read(this.name, []);
  }

  put(item) {
    const items = this.items().filter((old) => old.id !== item.id);
    items.push(item);
    localStorage.setItem(this.name, JSON.stringify(items));
    this.changed();
  }

  // The same item with new contents, keeping its place: the queue is sent oldest first.
  replace(item) {
    const items = this.items().map((old) => (old.id === item.id ? item : old));
    localStorage.setItem(this.name, JSON.stringify(items));
    this.changed();
  }

  remove(id) {
    localStorage.setItem(this.name, JSON.stringify(this.items().filter((item) => item.id !== id)));
    this.changed();
  }

  // `since` for the next teaching:join: only ever the head of a join ack (§6 rule 6).
  head() {
    return this.lastHead;
  }

  setHead(head) {
    if (Number.isInteger(head) && head >= 0) this.lastHead = head;
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  changed() {
    for (const listener of this.listeners) listener(this.items());
  }
}

// For the pages that only read the room (the projector, the teacher's page): nothing to
// resend, and the head is remembered in memory only.
export const readOnlyOutbox = { head: () => 0, setHead() {}, items: () => [], remove() {} };

// The lesson as last heard, kept on the device: a page reloaded in a dead spot still has
// its seating chart, steps and tags, and the lesson where it stood (started, the current
// step and mode, this observer's focus), so the observer goes on writing under the right
// step. The page keeps it with every change it hears; `heardAt` is when the page last
// knew it to be current, which the page shows while it cannot know better.
export class LessonCopy {
  constructor(teachingId) {
    this.name = key(teachingId, "lesson");
  }

  // {teaching, you}, known to be current now.
  keep({ teaching, you }) {
    try {
      // Not the join code: it admits guests, and this copy outlives the lesson.
      const copy = { teaching: { ...teaching, join_code: null }, you, heardAt: new Date().toISOString() };
      localStorage.setItem(this.name, JSON.stringify(copy));
    } catch {
      // A full storage only costs the offline start; the outbox has its own entry.
    }
  }

  // {teaching, you, heardAt} as last kept, or null.
  remembered() {
    return read(this.name, null);
  }
}
