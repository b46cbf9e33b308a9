// Small DOM helpers for the discussion page. Every piece of user text goes in through
// textContent, never as HTML.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function button(label, className, onClick) {
  const b = el("button", className ? `button ${className}` : "button", label);
  b.type = "button";
  if (onClick) b.addEventListener("click", onClick);
  return b;
}

// A few words of a note, for a card read from the back of the room; the whole text
// stays in the card's title and in the cited-notes lists.
export function fewWords(text, words = 14) {
  const all = String(text ?? "").trim().split(/\s+/);
  return all.length <= words ? all.join(" ") : `${all.slice(0, words).join(" ")} …`;
}

export function timeOf(iso) {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? "" : at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
