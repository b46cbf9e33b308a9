// Keyboard use of the observer's page. Each group of buttons (the seating chart, the tags,
// the kinds, Teacher / Whole class) is one Tab stop, and the arrow keys move within it:
// the "roving tabindex" of the WAI-ARIA grid and toolbar patterns. Without it an observer
// pressed Tab about thirty times through the seats to reach a tag. And whatever has focus
// is scrolled clear of the fixed note dock and the sticky connection bar, which otherwise
// hid a tag reached with Tab.

const ARROWS = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

// What identifies a button across redraws (the buttons are rebuilt when the step or the
// chart changes): its data, else its words.
function identity(button) {
  const data = button.dataset;
  return data.response ?? data.subjectCode ?? data.kind ?? data.subjectKind ?? (button.id || button.textContent);
}

// Makes `container` one Tab stop. `rows()` answers its buttons as rows (a toolbar is one
// row). In a grid (`grid: true`) Up and Down move between rows at the same column; in a
// toolbar every arrow moves to the previous or next button, since a toolbar of tags wraps
// over several lines. Home and End go to the first and last of the row (with Ctrl, of
// all). The buttons may be replaced at any time: the Tab stop is put back on the same
// button if it is still there, else on the pressed one, else on the first.
export function rovingFocus(container, { rows, grid = false }) {
  let current = null; // the identity of the button that holds the Tab stop

  const all = () => rows().flat().filter((button) => !button.disabled);

  function settle() {
    const buttons = all();
    const chosen = buttons.find((b) => identity(b) === current)
      ?? buttons.find((b) => b.getAttribute("aria-pressed") === "true")
      ?? buttons[0];
    for (const button of buttons) button.tabIndex = button === chosen ? 0 : -1;
  }

  function move(button) {
    if (!button) return;
    current = identity(button);
    settle();
    button.focus();
  }

  container.addEventListener("focusin", (event) => {
    const button = event.target.closest("button");
    if (!button || !container.contains(button)) return;
    current = identity(button);
    settle();
  });

  container.addEventListener("keydown", (event) => {
    const button = event.target.closest("button");
    if (!button || event.altKey || event.metaKey) return;
    const layout = rows().map((row) => row.filter((b) => !b.disabled));
    const r = layout.findIndex((row) => row.includes(button));
    if (r < 0) return;
    const c = layout[r].indexOf(button);
    const flat = layout.flat();
    let target = null;
    if (event.key in ARROWS && !event.ctrlKey) {
      const [dr, dc] = ARROWS[event.key];
      if (grid && dr !== 0) {
        const row = layout[r + dr];
        target = row ? row[Math.min(c, row.length - 1)] : null;
      } else {
        target = flat[flat.indexOf(button) + (dr || dc)] ?? null;
        if (grid && target && !layout[r].includes(target)) target = null; // a grid's row ends
      }
    } else if (event.key === "Home") {
      target = event.ctrlKey || !grid ? flat[0] : layout[r][0];
    } else if (event.key === "End") {
      target = event.ctrlKey || !grid ? flat.at(-1) : layout[r].at(-1);
    } else {
      return;
    }
    event.preventDefault(); // the arrows must not scroll the page as well
    move(target ?? button);
  });

  // Buttons added or replaced: the stop goes to the right one again.
  new MutationObserver(settle).observe(container, { childList: true, subtree: true });
  settle();

  return {
    // Redraws the buttons with `draw`; when one of them had focus, its successor gets it
    // rather than focus falling back to the page (the tags are redrawn when the teacher
    // moves the lesson on, perhaps while an observer is arrowing through them).
    redraw(draw) {
      const hadFocus = container.contains(document.activeElement);
      draw();
      settle();
      if (hadFocus && !container.contains(document.activeElement)) {
        all().find((b) => b.tabIndex === 0)?.focus();
      }
    },
  };
}

// Scrolls the focused element clear of what is fixed or sticky over the page (the note
// dock at the bottom, the connection bar at the top). CSS scroll-padding does this for
// scrolling the browser does itself; this covers focus moved by a script or a browser
// that scrolls a focused element only until it touches the edge.
export function keepFocusInView({ dock, bar, margin = 8 }) {
  function clear(element) {
    if (document.activeElement !== element) return;
    const box = element.getBoundingClientRect();
    const bottom = dock.getBoundingClientRect().top - margin;
    const top = bar.getBoundingClientRect().bottom + margin;
    if (box.bottom > bottom) window.scrollBy({ top: box.bottom - bottom, behavior: "instant" });
    else if (box.top < top) window.scrollBy({ top: box.top - top, behavior: "instant" });
  }
  document.addEventListener("focusin", (event) => {
    const element = event.target;
    if (!(element instanceof Element) || dock.contains(element) || bar.contains(element)) return;
    clear(element);
    // Again once the browser has done its own scrolling to the element, if any.
    requestAnimationFrame(() => clear(element));
  });
}
