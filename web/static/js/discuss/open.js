// Opening the discussion is the facilitator's first move; everyone else follows the link.

import { api } from "../api.js";

const box = document.getElementById("discuss-open");
const button = document.getElementById("open-discussion");
if (button) button.disabled = false; // disabled until this script can answer the click
button?.addEventListener("click", async () => {
  button.disabled = true;
  const answer = await api("POST", `/api/v1/teachings/${box.dataset.teachingId}/discussion`);
  if (answer.ok) {
    window.location.assign(`/discussions/${answer.data.discussion.id}`);
    return;
  }
  const error = document.getElementById("open-error");
  error.textContent = answer.error?.message ?? "Could not open the discussion.";
  error.hidden = false;
  button.disabled = false;
});
