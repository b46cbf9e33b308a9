// The notes of one teaching as this page knows them, merged from join acks and live
// broadcasts by note id and position, so a change that arrives twice applies once
// (docs/realtime.md §6 rules 4 and 5).

export class Notebook {
  constructor() {
    this.notes = new Map(); // note id -> {note, position}
    this.listeners = [];
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  changed() {
    for (const listener of this.listeners) listener(this);
  }

  // A join ack: a snapshot replaces what we hold (each note as applied at head),
  // unless a live change newer than head was already applied; otherwise replay changes.
  caughtUp(ack) {
    if (ack.snapshot) {
      for (const change of ack.notes_since ?? []) {
        const held = this.notes.get(change.note_id);
        if (held && held.position > ack.head) continue;
        this.notes.set(change.note_id, { note: { ...change.note }, position: ack.head });
      }
    } else {
      for (const change of ack.notes_since ?? []) this.apply(change, false);
    }
    this.changed();
  }

  apply(change, announce = true) {
    const held = this.notes.get(change.note_id);
    const position = change.position ?? 0;
    if (held && position <= held.position) return; // heard before
    if (change.type === "recorded") {
      this.notes.set(change.note_id, { note: { ...change.note }, position });
    } else if (held) {
      const note = { ...held.note };
      if (change.type === "amended") Object.assign(note, change.changes ?? {});
      if (change.type === "retracted") note.retracted = true;
      this.notes.set(change.note_id, { note, position });
    } else {
      return; // a change to a note we have not seen: the next join brings the note
    }
    if (announce) this.changed();
  }

  // An ack carries the note as stored: as good as its broadcast.
  acked(ack) {
    if (!ack?.note) return;
    const held = this.notes.get(ack.note_id);
    const position = ack.position ?? held?.position ?? 0;
    if (held && position < held.position) return;
    this.notes.set(ack.note_id, { note: { ...ack.note }, position });
    this.changed();
  }

  list() {
    return [...this.notes.values()]
      .map((entry) => entry.note)
      .sort((a, b) => String(a.recorded_at).localeCompare(String(b.recorded_at)));
  }
}
