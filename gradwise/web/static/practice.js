// Practice in the page: /api/practice keeps nothing, so each request names the problem and the lines typed
// so far. Uses app.js's helpers.
"use strict";

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
