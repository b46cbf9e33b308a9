// Photos of student work that wait to be uploaded. A photo can be megabytes, too big
// for localStorage, so it waits in IndexedDB (which keeps Blobs across a reload or a
// browser restart), keyed by the note it belongs to. The note itself waits in the
// outbox (store.js) marked `photo: "queued"`; the outbox sends it only after the photo
// is uploaded and its photo_id written into the note.

const DB_NAME = "lessonstudy-observe";
const STORE = "photos";

// What the server accepts (lessonstudy/server/photos.py), checked here by the same
// first bytes, so an observer hears at once rather than after the next reconnect.
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

function kindOf(head) {
  const starts = (...bytes) => bytes.every((byte, i) => head[i] === byte);
  if (starts(0xff, 0xd8, 0xff)) return "JPEG";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "PNG";
  const ascii = (from, to) => String.fromCharCode(...head.slice(from, to));
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "WebP";
  return null;
}

// null when the file will be accepted, else a sentence saying why not.
export async function photoProblem(file) {
  if (file.size === 0) return "That photo is empty: take it again.";
  if (file.size > MAX_PHOTO_BYTES) {
    const mb = (file.size / 1024 / 1024).toFixed(1);
    return `That photo is ${mb} MB; a photo may be at most 8 MB.`;
  }
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  if (!kindOf(head)) return "A photo must be a JPEG, PNG or WebP image.";
  return null;
}

// Sends one photo: {photoId}, or {refused: message} when the server will never take
// it, or {} to try later.
export async function uploadPhoto(teachingId, blob, name) {
  const body = new FormData();
  body.append("photo", blob, name || "photo");
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  try {
    const response = await fetch(`/api/v1/teachings/${teachingId}/photos`, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => null);
    if (response.ok) return { photoId: data.photo_id };
    const later = response.status >= 500 || [401, 403, 429].includes(response.status);
    return later ? {} : { refused: data?.error?.message ?? "the photo was refused" };
  } catch {
    return {}; // no connection: the photo stays queued
  }
}

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      // Resolved when the transaction is committed: a put is on disk by then.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export class PhotoQueue {
  constructor(teachingId) {
    this.prefix = `${teachingId}:`;
  }

  key(noteId) {
    return this.prefix + noteId;
  }

  // The Blob is stored, not the File: a File from a camera input may not survive.
  put(noteId, file) {
    const blob = new Blob([file], { type: file.type });
    return run("readwrite", (store) => store.put({ blob, name: file.name }, this.key(noteId)));
  }

  async get(noteId) {
    return (await run("readonly", (store) => store.get(this.key(noteId)))) ?? null;
  }

  remove(noteId) {
    return run("readwrite", (store) => store.delete(this.key(noteId)));
  }
}
