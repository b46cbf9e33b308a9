// The plan room on Socket.IO: hears each change others make, and shows whether the
// page is connected. After any reconnect the page reloads the plan, because the
// server does not replay what was missed while away (the plan itself is the replay).

import { io } from "/vendor/socket.io-client/socket.io.esm.min.js";

const STATES = {
  connecting: ["Connecting…", "Connecting to your team's plan."],
  live: ["Live", "Connected: your team's changes appear here as they are made."],
  offline: ["Offline", "Not connected. Your typing stays on this page and is saved when the connection is back."],
  signedout: ["Signed out", "Your session ended: sign in again (in another tab) to keep saving."],
  refused: ["Not connected", "This plan cannot be followed live."],
};

export function connectLive(editor) {
  const pill = document.getElementById("connection");
  const show = (state, detail) => {
    const [label, title] = STATES[state];
    pill.textContent = label;
    pill.title = detail ?? title;
    pill.dataset.state = state;
    pill.className = `pill pill--${state}`;
    editor.online = state === "live";
  };
  show("connecting");
  const socket = io({ withCredentials: true });
  socket.on("connect", () => {
    socket.emit("plan:join", { lesson_id: editor.lessonId }, (ack) => {
      if (ack?.error) {
        show("refused", ack.error.message);
        return;
      }
      show("live");
      editor.reconnected(ack?.revision ?? 0);
    });
  });
  socket.on("disconnect", () => show("offline"));
  socket.on("connect_error", (error) => {
    show(error?.message === "sign in first" ? "signedout" : "offline");
  });
  socket.io.on("reconnect_attempt", () => {
    if (pill.dataset.state !== "signedout") show("offline", "Reconnecting…");
  });
  socket.on("plan:changed", (change) => {
    if (change?.lesson_id === editor.lessonId) editor.remoteChange(change);
  });
  return socket;
}
