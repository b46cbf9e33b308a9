// How each kind of control reads and writes a plan value, and shows it as text.
// read() returns {value} or {error} (a value the server would refuse, caught early).

import { fitAll } from "../api.js";

const CODE = /^[A-Z0-9][A-Z0-9_.-]{0,15}$/;

export function text(control, fromPlan) {
  return {
    fromPlan,
    // The server trims; comparing trimmed text keeps a trailing space from looking unsaved.
    read: () => ({ value: control.value.trim() }),
    write: (value) => {
      control.value = value ?? "";
      if (control.tagName === "TEXTAREA") fitAll(control.parentElement);
    },
    display: (value) => (value ? String(value) : "(empty)"),
  };
}

export function choice(control, fromPlan, { emptyIsNull = false, label = (v) => v } = {}) {
  return {
    fromPlan,
    read: () => ({ value: control.value === "" && emptyIsNull ? null : control.value }),
    write: (value) => {
      const wanted = value ?? "";
      if (wanted && ![...control.options].some((o) => o.value === wanted)) {
        control.append(new Option(label(wanted), wanted)); // e.g. someone who left the team
      }
      control.value = wanted;
    },
    display: (value) => (value ? label(value) : "(none)"),
  };
}

export function minutes(control, fromPlan) {
  return {
    fromPlan,
    read: () => {
      const raw = control.value.trim();
      if (raw === "") return { value: 0 };
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0 || n > 240) return { error: "Minutes: a whole number from 0 to 240." };
      return { value: n };
    },
    write: (value) => { control.value = value ? String(value) : ""; },
    display: (value) => `${value ?? 0} min`,
  };
}

export function layoutText(layout) {
  return Object.entries(layout ?? {}).map(([group, seats]) => `${group}: ${seats.join(", ")}`).join("\n");
}

export function parseLayout(source) {
  const layout = {};
  const lines = source.split("\n").map((l) => l.trim()).filter(Boolean);
  for (const [index, line] of lines.entries()) {
    const [group, rest = ""] = line.split(":", 2);
    const code = group.trim().toUpperCase();
    if (!CODE.test(code)) {
      return { error: `Line ${index + 1}: start with a group code such as G1, then a colon.` };
    }
    const seats = rest.split(/[,\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
    const bad = seats.find((s) => !CODE.test(s));
    if (bad) return { error: `Line ${index + 1}: "${bad}" is not a seat code such as G1-S2 (codes only, never names).` };
    layout[code] = seats;
  }
  return { value: layout };
}

export function layout(control, fromPlan) {
  return {
    fromPlan,
    read: () => parseLayout(control.value),
    write: (value) => {
      control.value = layoutText(value);
      fitAll(control.parentElement);
    },
    display: (value) => layoutText(value) || "(empty)",
  };
}

export function focus(fieldset, fromPlan, nameOf) {
  const inputs = () => [...fieldset.querySelectorAll("input[data-person-id]")];
  return {
    fromPlan,
    read: () => {
      const value = {};
      for (const input of inputs()) {
        const codes = input.value.split(/[,\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
        const bad = codes.find((c) => !CODE.test(c));
        if (bad) return { error: `"${bad}" is not a seat or group code (codes only, never names).` };
        if (codes.length) value[input.dataset.personId] = codes;
      }
      return { value };
    },
    write: (value) => {
      for (const input of inputs()) input.value = (value?.[input.dataset.personId] ?? []).join(", ");
    },
    display: (value) =>
      Object.entries(value ?? {}).map(([who, codes]) => `${nameOf(who)}: ${codes.join(", ")}`).join("; ") || "(nobody yet)",
  };
}
