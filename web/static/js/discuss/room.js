// The discussion room on Socket.IO. Every connect (first load, reconnect) joins again
// and gets the whole board; every change arrives whole with its version, so the page
// keeps the newest and a change heard twice or late changes nothing.

import { io } from "/vendor/socket.io-client/socket.io.esm.min.js";
import { connectionPill } from "../connection.js";

const ACK_TIMEOUT_MS = 8000;
const STATES = { connecting: "Connecting…", live: "Connected", offline: "Offline", refused: "Not admitted" };

const showState = connectionPill(STATES);

export function connectDiscussion({ discussionId, onBoard, onChanged, onRefused }) {
  showState("connecting");
  const socket = io({ withCredentials: true });

  const emit = (event, payload) =>
    new Promise((resolve) => {
      if (!socket.connected) {
        resolve(null);
        return;
      }
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emit(event, { discussion_id: discussionId, ...payload }, (error, ack) => resolve(error ? null : ack));
    });

  // Joins the room and gets the whole board: on every connect, and when the server says
  // changes may have gone past this page (discussion:catch_up, docs/realtime.md section 10).
  async function join() {
    const ack = await emit("discussion:join", {});
    if (!ack) return; // gone again; the next connect joins
    if (ack.error) {
      showState("refused", ack.error.message);
      onRefused?.(ack.error);
      return;
    }
    showState("live");
    onBoard(ack);
  }

  socket.on("connect", join);
  socket.on("discussion:catch_up", (message) => {
    if (message?.discussion_id === discussionId) join();
  });
  socket.on("disconnect", () => showState("offline"));
  socket.on("connect_error", (error) => showState("offline", error?.message));
  socket.on("discussion:changed", (message) => {
    if (message?.discussion_id === discussionId) onChanged(message);
  });
  // The browser knows before the socket's heartbeat does that the network went or came
  // back: say so at once, and rejoin (which brings the whole board) at once.
  window.addEventListener("offline", () => {
    socket.disconnect();
    showState("offline");
  });
  window.addEventListener("online", () => {
    if (!socket.connected) socket.connect();
  });
  return { emit };
}
