// The checker in the page: a derivation typed one row a line, judged by /api/check; each line's mark in
// its margin and, under a wrong line, the named mistake and the counterexample. Uses app.js's helpers.
"use strict";

// ---- the checker: one row a line, its mark in the margin, the reason under a wrong line ------------
function rows() { return [...$("derivation").querySelectorAll(".line-row")]; }
function derivationText() { return rows().map((r) => r.querySelector(".line-input").value).join("\n"); }

function makeRow(value) {
  const row = document.createElement("div");
  row.className = "line-row";
  const mark = document.createElement("span");
  mark.className = "mark";
  mark.setAttribute("aria-label", "not judged yet");
  const input = document.createElement("input");
  input.className = "line-input";
  input.type = "text";
  input.spellcheck = false;
  input.autocomplete = "off";
  input.value = value;
  row.append(mark, input);
  return row;
}

function setDerivation(text) {
  $("derivation").replaceChildren(...text.split("\n").map(makeRow));
  numberRows();
}

function numberRows() {
  rows().forEach((r, i) => {
    r.dataset.line = i + 1;
    r.querySelector(".line-input").setAttribute("aria-label", `line ${i + 1}`);
  });
}

function focusAt(row, caret) {
  const input = row.querySelector(".line-input");
  input.focus();
  const at = Math.min(caret, input.value.length);
  input.setSelectionRange(at, at);
}

function rowAfter(row, step) {  // the next (step 1) or previous (step -1) line row, skipping notes
  let el = step > 0 ? row.nextElementSibling : row.previousElementSibling;
  while (el && !el.classList.contains("line-row")) el = step > 0 ? el.nextElementSibling : el.previousElementSibling;
  return el;
}

function insertLines(row, input, text) {  // text (maybe several lines) at the caret: new rows for its lines
  const before = input.value.slice(0, input.selectionStart), after = input.value.slice(input.selectionEnd);
  const parts = text.replace(/\r\n?/g, "\n").split("\n");
  input.value = before + parts[0];
  let last = row;
  for (const part of parts.slice(1)) {
    const next = makeRow(part);
    (noteOf(last) || last).after(next);
    last = next;
  }
  const lastInput = last.querySelector(".line-input");
  const caret = lastInput.value.length;
  lastInput.value += after;
  numberRows();
  focusAt(last, caret);
}

function noteOf(row) {
  const el = row.nextElementSibling;
  return el && el.classList.contains("line-note") ? el : null;
}

function onLineKey(e) {
  const input = e.target;
  if (!input.classList || !input.classList.contains("line-input")) return;
  const row = input.closest(".line-row");
  const start = input.selectionStart, end = input.selectionEnd;
  if (e.key === "Enter") {
    e.preventDefault();
    insertLines(row, input, "\n");
  } else if (e.key === "Backspace" && start === 0 && end === 0 && rowAfter(row, -1)) {
    e.preventDefault();
    const prev = rowAfter(row, -1), prevInput = prev.querySelector(".line-input"), caret = prevInput.value.length;
    prevInput.value += input.value;
    (noteOf(row) || { remove() {} }).remove();
    row.remove();
    numberRows();
    focusAt(prev, caret);
  } else if (e.key === "Delete" && start === input.value.length && end === start && rowAfter(row, 1)) {
    e.preventDefault();
    const next = rowAfter(row, 1);
    input.value += next.querySelector(".line-input").value;
    (noteOf(next) || { remove() {} }).remove();
    next.remove();
    numberRows();
    focusAt(row, start);
  } else if ((e.key === "ArrowUp" || e.key === "ArrowDown") && rowAfter(row, e.key === "ArrowUp" ? -1 : 1)) {
    e.preventDefault();
    focusAt(rowAfter(row, e.key === "ArrowUp" ? -1 : 1), start);
  } else {
    return;
  }
  liveCheck();
}

function onLinePaste(e) {
  const text = (e.clipboardData || window.clipboardData).getData("text");
  if (!text.includes("\n") || !e.target.classList.contains("line-input")) return;
  e.preventDefault();
  insertLines(e.target.closest(".line-row"), e.target, text);
  liveCheck();
}

function mark(step) { return step.valid === true ? "✓" : step.valid === false ? "✗" : "?"; }

function explanation(step, lines) {  // the note under a line that is wrong or undecided
  const note = document.createElement("div");
  note.className = "line-note verdict-line " + (step.valid === false ? "bad" : "unknown");
  note.dataset.line = step.line;
  const why = (cls, words) => {
    if (!words) return;
    const d = document.createElement("div");
    d.className = cls;
    d.textContent = words;
    note.append(d);
  };
  if (step.valid === false) {
    const words = step.domain || step.diagnosis || step.reason || "the two sides differ";
    why("why mistake", step.mistake ? `Mistake (${step.mistake.replaceAll("_", " ")}): ${words}` : words);
    if (step.counterexample) {
      const at = Object.entries(step.counterexample).map(([k, v]) => `${k} = ${v}`).join(", ");
      const values = step.left_value !== null && step.right_value !== null
        ? `: the left side is ${Number(step.left_value).toPrecision(6)}, the right side ${Number(step.right_value).toPrecision(6)}` : "";
      why("why", `Counterexample at ${at}${values}`);
    }
    if (step.correct) {
      const correct = step.correct.replaceAll("**", "^").replaceAll("*", "·");
      why("fix", `Correct: ${correct}` + (step.correct_rule ? ` (${step.correct_rule} rule)` : ""));
    }
  } else {
    why("fix", step.reason || "could not be decided");
  }
  return note;
}

function clearVerdict() {
  for (const n of $("derivation").querySelectorAll(".line-note")) n.remove();
  for (const r of rows()) {
    r.classList.remove("ok", "bad", "unknown");
    const m = r.querySelector(".mark");
    m.textContent = "";
    m.className = "mark";
  }
}

function showVerdict(text, verdict) {
  if (text !== derivationText()) return;  // typed on since: the next check will judge it
  const lines = text.split("\n");
  clearVerdict();
  const box = $("judgement");
  box.replaceChildren();
  const summary = document.createElement("div");
  summary.className = "summary";
  if (!verdict.readable) summary.textContent = `Cannot read it: ${verdict.error}`;
  else if (verdict.valid) summary.textContent = "Every step is valid.";
  else if (verdict.first_error) summary.textContent = `Step ${verdict.first_error} is wrong.`;
  else summary.textContent = "Some steps could not be decided.";
  box.append(summary);
  const all = rows();
  const marks = lines.map(() => "");
  const notes = lines.map(() => []);
  for (const step of verdict.steps || []) {
    const i = step.line - 1;
    if (i < 0 || i >= marks.length) continue;
    const m = mark(step);
    marks[i] = marks[i] === "✗" || (marks[i] === "?" && m === "✓") ? marks[i] : m;
    if (step.valid !== true) notes[i].push(explanation(step, lines));
  }
  if (!verdict.readable && verdict.error) {
    const m = /line (\d+)/.exec(verdict.error);
    if (m && marks[m[1] - 1] !== undefined) marks[m[1] - 1] = "✗";
  }
  marks.forEach((m, i) => {
    const row = all[i], el = row.querySelector(".mark");
    const cls = m === "✓" ? "ok" : m === "✗" ? "bad" : m === "?" ? "unknown" : "";
    el.textContent = m;
    if (cls) { el.classList.add(cls); row.classList.add(cls); }
    el.setAttribute("aria-label", { ok: "valid", bad: "wrong", unknown: "undecided", "": "not a step" }[cls]);
    if (notes[i].length) row.after(...notes[i]);
  });
  box.hidden = false;
}

async function checkNow() {
  const text = derivationText();
  const seq = ++state.workSeq;
  if (!text.trim()) { $("judgement").hidden = true; clearVerdict(); return; }
  $("status").textContent = "checking…";
  const response = await post("check", request("json"));
  if (seq !== state.workSeq) return;
  $("status").textContent = "";
  if (!response.ok) {
    const e = await errorOf(response);
    $("error").textContent = e.error;
    $("error").hidden = false;
    return;
  }
  $("error").hidden = true;
  showVerdict(text, await response.json());
  derive();  // the verdict as the HTML renderer explains it, below
}

const liveCheck = debounce(checkNow, 500);
