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
