// A guest joins over REST first: the Socket.IO connection takes the session as it was
// when it opened (docs/realtime.md §1), so the observer page opens the socket after this.
// After the lesson the same page takes the discussion's code, with a role, and lands
// on the discussion (data-next).

import { api } from "../api.js";

const form = document.getElementById("join-lesson");
const teachingId = form.dataset.teachingId;
const error = document.getElementById("join-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const join_code = form.join_code.value.trim().toUpperCase();
  const name = form.name.value.trim();
  if (!join_code || !name) {
    error.textContent = "Type the code and your name.";
    error.hidden = false;
    return;
  }
  const body = { join_code, name };
  if (form.role) body.roles = [form.role.value];
  const answer = await api("POST", `/api/v1/teachings/${teachingId}/guests`, body);
  if (!answer.ok) {
    error.textContent = answer.error?.message ?? "Could not join.";
    error.hidden = false;
    return;
  }
  window.location.assign(form.dataset.next);
});
