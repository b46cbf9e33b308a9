// Puts keyed elements in the wanted order without moving the one holding the focus:
// moving an element out of the document and back would take the caret away from
// someone in the middle of a sentence.
export function arrange(container, wanted) {
  const focused = wanted.find((el) => el.contains(document.activeElement));
  let previous = null;
  for (const el of wanted) {
    if (el !== focused) {
      const expected = previous ? previous.nextElementSibling : container.firstElementChild;
      if (expected !== el) {
        if (previous) previous.after(el);
        else container.prepend(el);
      }
    }
    previous = el;
  }
}

// Removes the keyed items that are gone; returns the ids still wanted, in order.
export function prune(items, ids, onRemove) {
  const keep = new Set(ids);
  for (const [id, item] of items) {
    if (!keep.has(id)) {
      onRemove(item);
      items.delete(id);
    }
  }
}
