// What this observer has written that the server has not stored yet: the notes,
// amendments, retractions and focus choices put in the outbox (store.js), the photos that
// wait on this device (photos.js) until they are uploaded and their note can be sent, and
// the badge that counts what waits. The socket (live.js) sends the outbox; `prepare` is
// what it runs before each item, and `flush` asks it to send now.

import { uuid } from "../api.js";
import { uploadPhoto } from "./photos.js";

const FOCUS = "focus"; // the outbox id of a focus choice: only the latest one waits

export class Outgoing {
  constructor({ teachingId, outbox, photos, flush, onPhotoDropped }) {
    this.teachingId = teachingId;
    this.outbox = outbox;
    this.photos = photos;
    this.flush = flush;
    this.onPhotoDropped = onPhotoDropped;
    this.previews = new Map(); // note id -> object URL of its photo still on this device
    this.storing = new Set(); // note ids whose photo is being written to IndexedDB
    outbox.onChange((items) => this.showWaiting(items));
    this.showWaiting(outbox.items());
  }

  onChange(listener) {
    this.outbox.onChange(listener);
  }

  // Queues a note (with the photo file to attach, if any). The entry is in the outbox when
  // this returns: the text is what must not be lost. The answer settles once the photo
  // is kept on the device and the outbox asked to send.
  note(item, file) {
    const noteId = item.payload.note_id;
    if (file) {
      item.photo = "queued";
      this.storing.add(noteId);
      this.previews.set(noteId, URL.createObjectURL(file));
    }
    this.outbox.put(item);
    return this.keepPhoto(item, file);
  }

  async keepPhoto(item, file) {
    const noteId = item.payload.note_id;
    if (file) {
      try {
        await this.photos.put(noteId, file);
      } catch {
        this.withoutPhoto(item, "this device could not keep it");
      } finally {
        this.storing.delete(noteId);
      }
    }
    this.flush();
  }

  amend(noteId, changes) {
    const payload = { teaching_id: this.teachingId, note_id: noteId, changes };
    this.outbox.put({ id: `${noteId}:amend:${uuid()}`, event: "note:amend", payload });
    this.flush();
  }

  retract(noteId) {
    this.outbox.put({ id: `${noteId}:retract`, event: "note:retract", payload: { teaching_id: this.teachingId, note_id: noteId } });
    this.flush();
  }

  // Kept in the outbox like a note, so a choice made offline is sent on reconnect;
  // the same id each time, so only the latest choice waits.
  focus(codes) {
    this.outbox.put({ id: FOCUS, event: "teaching:focus", payload: { teaching_id: this.teachingId, codes } });
    this.flush();
  }

  // The focus chosen here that has not reached the server yet, or null.
  pendingFocus() {
    const pending = this.outbox.items().find((item) => item.id === FOCUS);
    return pending ? [...pending.payload.codes] : null;
  }

  has(id) {
    return this.outbox.items().some((queued) => queued.id === id);
  }

  // The payloads of the notes not stored yet, oldest first.
  waitingNotes() {
    return this.outbox.items().filter((item) => item.event === "note:record").map((item) => item.payload);
  }

  // The ids of the notes with anything still to send (the note, an amendment, a retraction).
  queuedNoteIds() {
    return new Set(this.outbox.items().map((item) => item.payload.note_id));
  }

  preview(noteId) {
    return this.previews.get(noteId);
  }

  // Runs before each outbox item is sent: a note whose photo waits on this device is
  // held back until the photo is uploaded and its photo_id is in the note.
  async prepare(item) {
    if (item.photo !== "queued") return item;
    const noteId = item.payload.note_id;
    if (this.storing.has(noteId)) return null; // still being written; note() flushes after
    const kept = await this.photos.get(noteId).catch(() => null);
    if (!kept) return this.withoutPhoto(item, "the photo was not kept on this device");
    const { photoId, refused } = await uploadPhoto(this.teachingId, kept.blob, kept.name);
    if (refused) return this.withoutPhoto(item, refused);
    if (!photoId) return null;
    const ready = { ...item, photo: "uploaded", payload: { ...item.payload, photo_id: photoId } };
    this.outbox.replace(ready);
    await this.photos.remove(noteId).catch(() => {});
    return ready;
  }

  withoutPhoto(item, why) {
    this.onPhotoDropped(why);
    const plain = { ...item, photo: undefined };
    this.outbox.replace(plain);
    this.photos.remove(item.payload.note_id).catch(() => {});
    return plain;
  }

  // The server's answer to a sent item: a stored note's photo is shown from the server now.
  acked(item, ack) {
    const url = this.previews.get(item.payload.note_id);
    if (ack.ok && url && item.event === "note:record") {
      this.previews.delete(item.payload.note_id);
      URL.revokeObjectURL(url);
    }
  }

  // Photos still waiting from an earlier visit, to show in the feed from this device.
  async restorePreviews() {
    for (const item of this.outbox.items()) {
      if (item.photo !== "queued" || this.previews.has(item.payload.note_id)) continue;
      const kept = await this.photos.get(item.payload.note_id).catch(() => null);
      if (kept) this.previews.set(item.payload.note_id, URL.createObjectURL(kept.blob));
    }
  }

  showWaiting(items) {
    // Notes, amendments and retractions: what the observer wrote (not a focus choice).
    const count = items.filter((item) => item.event.startsWith("note:")).length;
    const badge = document.getElementById("waiting");
    badge.dataset.count = String(count);
    badge.textContent = count === 0 ? "All notes sent" : `${count} waiting to send`;
    badge.classList.toggle("ob-waiting--some", count > 0);
  }
}
