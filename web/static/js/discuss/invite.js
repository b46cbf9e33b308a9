// The facilitator's "Invite a guest": a code for someone who was not at the lesson (a
// knowledgeable other from outside), typed on the lesson's join page. The server gives
// the same code each time, so showing it again on another screen voids nothing.

import { api } from "../api.js";

export function setUpInvite({ button, box, discussionId }) {
  button.addEventListener("click", async () => {
    const answer = await api("POST", `/api/v1/discussions/${discussionId}/guests`);
    box.hidden = false;
    if (!answer.ok) {
      box.textContent = answer.error?.message ?? "No code: try again.";
      return;
    }
    const code = document.createElement("strong");
    code.className = "code";
    code.id = "invite-code";
    code.textContent = answer.data.join_code;
    const link = document.createElement("span");
    link.textContent = answer.data.join_url;
    box.replaceChildren("Guest code for this discussion: ", code, " — join at ", link);
  });
  // Shown to the facilitator while the discussion is open.
  return function show(you, discussion) {
    button.hidden = !you.facilitator || discussion.phase === "closed";
  };
}
