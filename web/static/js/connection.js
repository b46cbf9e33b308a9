// The connection pill (#connection) of the live pages, saying whether the page is
// connected; each page has its own words for the states (the observer's "offline" says
// its notes are kept).

export function connectionPill(words) {
  return (state, detail) => {
    const pill = document.getElementById("connection");
    pill.textContent = words[state];
    pill.title = detail ?? words[state];
    pill.dataset.state = state;
    pill.className = `pill pill--${state}`;
  };
}
