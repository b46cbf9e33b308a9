// The teaching room on Socket.IO. On every connect (first load, reconnect, after a
// reload) it joins with since = the head of the last join ack, then resends the
// outbox oldest first: the server drops what it already has, so resending is safe.

import { io } from "/vendor/socket.io-client/socket.io.esm.min.js";
import { connectionPill } from "../connection.js";

const ACK_TIMEOUT_MS = 5000;
const RETRY_MS = 10000;
const STATES = {
  connecting: "Connecting…",
  live: "Connected",
  offline: "Offline: notes are kept",
  refused: "Not admitted",
};

const showState = connectionPill(STATES);

// `prepare(item)` (optional) readies an outbox item just before it is sent, e.g. uploads
// the photo a note waits for; it answers the item to send, or null to stop for now.
export function connectTeaching({
  teachingId, notebook, outbox, onJoined, onTeaching, onAck, onRefused, prepare,
}) {
  showState("connecting");
  const socket = io({ withCredentials: true });
  let flushing = false;
  let flushAgain = false;
  let joined = false;
  let revoked = false; // removed from the team: stay off rather than reconnect forever

  const emit = (event, payload) =>
    new Promise((resolve) => {
      socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (error, ack) => resolve(error ? null : ack));
    });

  // Removes the entry that was sent, unless it was replaced meanwhile (the observer
  // changed their focus again while the first choice was on its way): the newer one
  // stays and is sent next.
  function removeSent(item) {
    const now = outbox.items().find((queued) => queued.id === item.id);
    if (now && JSON.stringify(now.payload) === JSON.stringify(item.payload)) outbox.remove(item.id);
  }

  async function flush() {
    if (!joined) return;
    if (flushing) {
      flushAgain = true; // asked for during a flush: go round once more when it ends
      return;
    }
    flushing = true;
    try {
      do {
        flushAgain = false;
        await sendQueued();
      } while (flushAgain && socket.connected);
    } finally {
      flushing = false;
    }
  }

  async function sendQueued() {
    // Always the oldest first, read afresh: notes taken during a flush go in this one.
    while (socket.connected) {
      let item = outbox.items()[0];
      if (!item) break;
      if (prepare) item = await prepare(item);
      if (!item) break; // not ready (no network for its photo): the next flush tries
      const ack = await emit(item.event, item.payload);
      if (ack === null) break; // no answer: keep it, try again on the next connect
      const status = ack.error?.status ?? 0;
      // Refused as written (422; an amendment of a retracted note, 409): resending will
      // never help, so it leaves the queue and the page shows why. A note before the
      // start (409), a lapsed session (401/403) or a fault (5xx) stays for later.
      const never = status === 422 || (status === 409 && item.event !== "note:record");
      if (ack.ok || never) removeSent(item);
      if (ack.ok) notebook.acked(ack);
      onAck?.(item, ack);
      if (!ack.ok && !never) break; // keep it; try again later
    }
  }

  // Joins the room and catches up from the last join's head: on every connect, and when
  // the server says broadcasts may have gone past this page (teaching:catch_up).
  async function join() {
    const ack = await emit("teaching:join", { teaching_id: teachingId, since: outbox.head() });
    if (!ack) return; // the connection went again; the next connect joins
    if (ack.error) {
      showState("refused", ack.error.message);
      onRefused?.(ack.error);
      return;
    }
    notebook.caughtUp(ack);
    outbox.setHead(ack.head);
    joined = true;
    showState("live");
    onJoined?.(ack);
    flush();
  }

  socket.on("connect", join);
  // The server's link to the other server processes came back after a break (docs/
  // realtime.md section 10): notes recorded through them meanwhile were not broadcast here.
  socket.on("teaching:catch_up", (message) => {
    if (message?.teaching_id === teachingId && !revoked) join();
  });
  socket.on("disconnect", () => {
    joined = false;
    showState("offline");
  });
  socket.on("connect_error", (error) => showState("offline", error?.message));
  // The server took this connection out of the team's rooms (its person was removed
  // from the team): say so, and close it - every reconnect would only be refused.
  socket.on("access:revoked", (message) => {
    revoked = true;
    joined = false;
    socket.disconnect();
    showState("refused", message?.error?.message);
    onRefused?.(message?.error ?? {});
  });
  for (const event of ["note:recorded", "note:amended", "note:retracted"]) {
    socket.on(event, (change) => {
      if (change?.teaching_id === teachingId) notebook.apply(change);
    });
  }
  socket.on("teaching:changed", (message) => {
    if (message?.teaching_id === teachingId) onTeaching?.(message);
  });
  // The browser knows before the socket's heartbeat does that the network went or came
  // back: show "offline" (and queue) at once, and reconnect at once.
  window.addEventListener("offline", () => {
    socket.disconnect();
    showState("offline");
  });
  window.addEventListener("online", () => {
    if (!socket.connected && !revoked) socket.connect();
  });
  // A note that met a timeout or a 5xx is tried again while connected, not only on
  // the next reconnect.
  setInterval(flush, RETRY_MS);
  return { socket, flush, emit };
}
