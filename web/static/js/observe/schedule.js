// Schedules a teaching through the REST API, then opens its control page.

import { api } from "../api.js";

const form = document.getElementById("schedule");
const error = document.getElementById("schedule-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { instructor_id: form.instructor_id.value, class_label: form.class_label.value.trim() };
  const answer = await api("POST", `/api/v1/lessons/${form.dataset.lessonId}/teachings`, body);
  if (!answer.ok) {
    error.textContent = answer.error?.message ?? "Could not schedule the teaching.";
    error.hidden = false;
    return;
  }
  window.location.assign(`/teachings/${answer.data.id}/teach`);
});
