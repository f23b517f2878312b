// The gradwise page: a live reading of the input, the worked solution from the HTML renderer, and the
// checker judging a derivation line by line. Everything is fetched from this server only.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { mode: "diff", readSeq: 0, workSeq: 0, lastRequest: null };
const PLACEHOLDERS = {
  diff: ["Expression (plain math or LaTeX)", "x^2 sin(x)"],
  grad: ["Function of several variables", "x^2 y + sin(x y)"],
  hessian: ["Function of several variables", "x^3 + x y^2"],
  matgrad: ["Scalar function of vectors and matrices (x^T A x, log(det(X)), ...)", "x^T A x"],
  eig: ["Matrix", "[[2,1],[1,2]]"],
};
const EXAMPLE_CHECK = "\\frac{d}{dx} x^2 \\sin(x) = 2x \\sin(x) + x^2 \\cos(x)\n= 2x \\cos(x)";

function debounce(fn, ms) {
  let timer = null;
  const call = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  call.cancel = () => clearTimeout(timer);
  return call;
}

async function post(name, body) {
  const response = await fetch(`/api/${name}`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  return response;
}

const FIELDS = { "--wrt": "“with respect to”", "--shape": "“shapes”", "--order": "“order”", "--timeout": "the server's --timeout" };

async function errorOf(response) {  // the CLI's words, with its options named as this page's fields
  let e;
  try { e = await response.json(); } catch (_) { e = { error: `HTTP ${response.status}` }; }
  e.error = String(e.error).replace(/--(wrt|shape|order|timeout)\b/g, (m) => FIELDS[m]);
  return e;
}

// ---- the request the page stands for ------------------------------------------------------------
function request(format) {
  const mode = state.mode;
  const body = { detail: $("detail").value, format };
  if (mode === "check") { body.text = derivationText(); return body; }
  const text = $("expression").value;
  if (mode === "eig") body.matrix = text; else body.expression = text;
  const wrt = $("wrt").value.trim();
  if (wrt && mode !== "eig") body.wrt = wrt;
  if (mode === "diff" && $("order").value && $("order").value !== "1") body.order = $("order").value;
  if (mode === "matgrad" && $("shape").value.trim()) body.shape = [$("shape").value.trim()];
  return body;
}

// ---- live reading -------------------------------------------------------------------------------
function showReading(el, text, answer, ok) {
  el.replaceChildren();
  if (ok) {
    const span = document.createElement("span");
    span.className = "read-as";
    span.append("Read as ");
    const b = document.createElement("b");
    b.textContent = answer.read_as;
    span.append(b);
    el.append(span);
    return;
  }
  const problem = document.createElement("div");
  problem.className = "problem";
  problem.textContent = answer.error;
  el.append(problem);
  if (answer.column) {  // the text with a caret under the column where reading stopped
    const pre = document.createElement("pre");
    pre.textContent = text + "\n" + " ".repeat(Math.max(0, answer.column - 1)) + "^";
    el.append(pre);
  }
}

async function readNow() {
  const text = $("expression").value;
  const seq = ++state.readSeq;
  if (!text.trim()) { $("reading").replaceChildren(); return false; }
  const response = await post("read", { expression: text, mode: state.mode });
  const answer = await response.json();
  if (seq !== state.readSeq) return false;  // a newer keystroke has its own answer
  showReading($("reading"), text, answer, response.ok);
  return response.ok;
}

// ---- the worked solution ------------------------------------------------------------------------
async function derive() {
  const seq = ++state.workSeq;
  const body = request("html");
  state.lastRequest = body;
  $("solution").classList.add("stale");
  $("status").textContent = "working…";
  let response;
  try { response = await post(state.mode, body); } catch (e) { response = null; }
  if (seq !== state.workSeq) return;
  $("status").textContent = "";
  $("solution").classList.remove("stale");
  if (!response || !response.ok) {
    const e = response ? await errorOf(response) : { error: "the server does not answer" };
    $("error").textContent = e.error;
    $("error").hidden = false;
    $("solution").replaceChildren();
    $("toolbar").hidden = true;
    return;
  }
  $("error").hidden = true;
  $("solution").innerHTML = await response.text();  // the HTML renderer's fragment (it escapes the input)
  $("toolbar").hidden = false;
  $("numpy").hidden = state.mode !== "matgrad";
}

const liveDerive = debounce(async () => {
  const mode = state.mode;
  const ok = await readNow();
  if (state.mode !== mode) return;  // the reader answered after a switch of mode: its text is gone
  if (ok) derive();
  else $("solution").classList.add("stale");  // the solution shown is for an earlier text
}, 250);

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

// ---- practice -----------------------------------------------------------------------------------
// The server keeps nothing: each request names the problem (topic, level, seed, index) and the lines
// typed so far, and the server generates the problem again and grades them.
const practice = { topic: "", level: 1, seed: 0, index: 1, history: [], seen: new Set(), ended: false, busy: false, seq: 0 };

async function loadTopics() {
  const response = await post("practice", { list: true });
  if (!response.ok) return;
  const select = $("topic");
  for (const t of (await response.json()).topics) {
    const o = document.createElement("option");
    o.value = t.topic;
    o.textContent = t.title;
    o.title = t.description;
    select.append(o);
  }
  if (!practice.topic && select.options.length) practice.topic = select.value;
}

function practiceButtons() {
  const open = !practice.ended && !practice.busy;
  for (const id of ["answer", "submit", "hint", "show-solution", "skip"]) $(id).disabled = !open;
  $("next").disabled = practice.busy;
  $("next").classList.toggle("primary", practice.ended);
}

async function practiceAsk(answer, repeats = 0) {
  const body = { topic: practice.topic, level: practice.level, seed: practice.seed, index: practice.index,
                 history: practice.history, format: "html" };
  if (answer !== undefined) body.answer = answer;
  const seq = ++practice.seq;
  practice.busy = true;
  practiceButtons();
  $("practice-status").textContent = answer === undefined ? "making a problem…" : "grading…";
  let response;
  try { response = await post("practice", body); } catch (e) { response = null; }
  if (seq !== practice.seq) return;  // a newer choice of problem has its own answer
  practice.busy = false;
  $("practice-status").textContent = "";
  if (!response || !response.ok) {
    const e = response ? await errorOf(response) : { error: "the server does not answer" };
    $("error").textContent = e.error;
    $("error").hidden = false;
    practiceButtons();
    return;
  }
  $("error").hidden = true;
  const box = $("problem");
  box.innerHTML = await response.text();  // built by the server, which escapes every typed line
  const prompt = box.querySelector(".prompt").textContent;
  if (answer === undefined && practice.seen.has(prompt) && repeats < 10) {  // as the CLI: pass over a repeat
    practice.seed += 1;
    $("seed").value = practice.seed;
    return practiceAsk(undefined, repeats + 1);
  }
  practice.seen.add(prompt);
  if (answer !== undefined) practice.history.push(answer);
  practice.ended = box.querySelector(".practice").dataset.ended === "true";
  const worked = box.querySelector(".worked");
  $("solution").replaceChildren(...(worked ? [worked] : []));
  practiceButtons();
  if (!practice.ended) $("answer").focus();
}

function newProblem(next) {
  practice.topic = $("topic").value;
  practice.level = Number($("level").value);
  if (next) { practice.seed += 1; practice.index += 1; } else {
    practice.seed = Number($("seed").value) || 0;
    practice.index = 1;
    practice.seen.clear();
  }
  $("seed").value = practice.seed;
  practice.history = [];
  practice.ended = false;
  $("answer").value = "";
  $("solution").replaceChildren();
  return practiceAsk();
}

function practiceSend(line) {
  if (practice.busy || practice.ended || !line.trim()) return;
  if (line === $("answer").value) $("answer").value = "";
  practiceAsk(line);
}

// ---- buttons ------------------------------------------------------------------------------------
async function download(format, filename, type) {
  const response = await post(state.mode, request(format));
  if (!response.ok) { $("status").textContent = (await errorOf(response)).error; return; }
  const blob = new Blob([await response.arrayBuffer()], { type });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function copyLatex() {
  const response = await post(state.mode, request("latex"));
  const text = await response.text();
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {  // http://127.0.0.1 may lack the clipboard API: copy from a hidden text area
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  $("status").textContent = "LaTeX copied";
  setTimeout(() => { $("status").textContent = ""; }, 2000);
}

function setMode(mode) {
  // what the previous mode still had pending or in flight must not land in this one (a late reading's
  // derive() would otherwise supersede the first check of a derivation)
  liveDerive.cancel();
  liveCheck.cancel();
  state.readSeq++;
  state.workSeq++;
  state.mode = mode;
  for (const b of document.querySelectorAll("#modes button")) b.classList.toggle("active", b.dataset.mode === mode);
  const checking = mode === "check", practising = mode === "practice";
  $("single").hidden = checking || practising;
  $("multi").hidden = !checking;
  $("practice").hidden = !practising;
  $("options").hidden = practising;
  $("wrt-box").hidden = checking || mode === "eig";
  $("order-box").hidden = mode !== "diff";
  $("shape-box").hidden = mode !== "matgrad";
  $("go").textContent = checking ? "Check" : "Derive";
  $("error").hidden = true;
  $("judgement").hidden = true;
  $("solution").replaceChildren();
  $("toolbar").hidden = true;
  if (practising) {
    if (!$("problem").childElementCount) {
      if (!$("seed").value) $("seed").value = Math.floor(Math.random() * 100000);
      loadTopics().then(() => newProblem(false));
    }
  } else if (checking) {
    if (!derivationText()) setDerivation(EXAMPLE_CHECK);
    checkNow();
  } else {
    const [label, example] = PLACEHOLDERS[mode];
    $("expression-label").textContent = label;
    $("expression").placeholder = example;
    $("expression").value = example;
    $("wrt").value = mode === "matgrad" ? "x" : "";
    liveDerive();
  }
}

function expandAll(open) {
  for (const d of $("solution").querySelectorAll("details")) d.open = open;
}

window.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("#modes button")) b.addEventListener("click", () => setMode(b.dataset.mode));
  $("expression").addEventListener("input", liveDerive);
  $("expression").addEventListener("keydown", (e) => { if (e.key === "Enter") derive(); });
  for (const id of ["wrt", "order", "shape"]) $(id).addEventListener("input", debounce(derive, 400));
  $("detail").addEventListener("change", () => (state.mode === "check" ? checkNow() : derive()));
  setDerivation("");
  $("derivation").addEventListener("input", liveCheck);
  $("derivation").addEventListener("keydown", onLineKey);
  $("derivation").addEventListener("paste", onLinePaste);
  $("go").addEventListener("click", () => (state.mode === "check" ? checkNow() : derive()));
  $("expand").addEventListener("click", () => expandAll(true));
  $("collapse").addEventListener("click", () => expandAll(false));
  $("copy-latex").addEventListener("click", copyLatex);
  $("pdf").addEventListener("click", () => download("pdf", `gradwise-${state.mode}.pdf`, "application/pdf"));
  $("json").addEventListener("click", () => download("json", `gradwise-${state.mode}.json`, "application/json"));
  $("numpy").addEventListener("click", () => download("numpy", "gradient.py", "text/x-python"));
  $("new-problem").addEventListener("click", () => newProblem(false));
  $("topic").addEventListener("change", () => newProblem(false));
  $("level").addEventListener("change", () => newProblem(false));
  $("next").addEventListener("click", () => newProblem(true));
  $("submit").addEventListener("click", () => practiceSend($("answer").value));
  $("answer").addEventListener("keydown", (e) => { if (e.key === "Enter") practiceSend($("answer").value); });
  $("hint").addEventListener("click", () => practiceSend("hint"));
  $("show-solution").addEventListener("click", () => practiceSend("solution"));
  $("skip").addEventListener("click", () => practiceSend("skip"));
  setMode("diff");
});
