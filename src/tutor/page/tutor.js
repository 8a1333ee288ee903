// pygen tutor: the page keeps the op script (in the URL's #fragment, so a
// reload or a shared link shows the same steps) and asks /api/run to replay
// it in all four panes after every op. An async demo (async def ... yield)
// is stepped the same way, with the same buttons and keys standing for
// anext / asend / athrow / aclose.
"use strict";

const PANES = [
  ["python", "Python", "CPython"],
  ["nightly", "nightly", "#[coroutine]"],
  ["genawaiter", "genawaiter", "co.yield_"],
  ["async-stream", "async-stream", "stream!"],
];

const $ = (id) => document.getElementById(id);
let demos = [];
let asyncDemos = [];
let demo = "guarded";
let ops = [];
let generation = 0;

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// A small highlighter: comments, strings, keywords, and `yield` itself.
const KEYWORDS = {
  py: /^(def|class|return|while|for|in|if|is|not|None|True|False|try|except|finally|pass|and|or|else|from|import|lambda|raise|async|await|continue)$/,
  rs: /^(fn|let|mut|match|loop|while|for|in|if|else|return|break|continue|move|async|await|impl|pub|use|crate|struct|enum|where|const|static|mod|Some|None|Ok|Err|self|Self|true|false|as|dyn|type)$/,
};
function highlight(line, lang) {
  const re = lang === "py"
    ? /(#.*$)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\b[A-Za-z_][A-Za-z0-9_]*\b)/g
    : /(\/\/.*$)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)')|(\b[A-Za-z_][A-Za-z0-9_]*\b)/g;
  let out = "";
  let last = 0;
  for (const m of line.matchAll(re)) {
    out += escapeHtml(line.slice(last, m.index));
    const text = escapeHtml(m[0]);
    if (m[1]) out += `<span class="c">${text}</span>`;
    else if (m[2]) out += `<span class="s">${text}</span>`;
    else if (m[0] === "yield" || m[0] === "yield_") out += `<span class="y">${text}</span>`;
    else if (KEYWORDS[lang].test(m[0])) out += `<span class="k">${text}</span>`;
    else out += text;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(line.slice(last));
}

function buildPanes() {
  const main = $("panes");
  main.innerHTML = "";
  for (const [key, title, small] of PANES) {
    const pane = document.createElement("section");
    pane.className = "pane";
    pane.dataset.pane = key;
    pane.setAttribute("aria-label", `${title} pane`);
    pane.innerHTML = `
      <header><h2>${title}<small>${escapeHtml(small)}</small></h2>
        <span class="state" data-state="">…</span></header>
      <p class="where"></p>
      <pre class="code" tabindex="0" aria-label="${title} source"><ol></ol></pre>
      ${key === "python" ? '<dl class="locals" aria-label="locals"></dl>' : ""}
      <ol class="steps" aria-label="${title} outcomes"></ol>`;
    main.appendChild(pane);
  }
}

// The Python a Rust yield site mirrors: the `// ... yield ...` line of the
// comment block nearest above it.
function mirrorOf(source, line) {
  const lines = source.split("\n");
  const isComment = (text) => /^\s*\/\/(?![\/!])/.test(text);
  let i = line - 2;
  while (i >= 0 && !isComment(lines[i])) i--;
  const block = [];
  while (i >= 0 && isComment(lines[i])) block.unshift(lines[i--]);
  const hit = block.find((text) => /\byield\b/.test(text));
  return hit ? hit.replace(/^\s*\/\/\s*/, "").trim() : null;
}

function outcomeClass(outcome) {
  const last = outcome.split("; ").pop();
  return last.split(" ")[0];
}

function renderPane(key, pane) {
  const el = document.querySelector(`[data-pane="${key}"]`);
  const lang = key === "python" ? "py" : "rs";
  const steps = pane.steps || [];
  const now = steps.length ? steps[steps.length - 1] : pane.start || { state: null, line: null };
  const state = now.state || "unknown";
  el.dataset.state = state;
  el.dataset.line = now.line == null ? "" : String(now.line);
  const badge = el.querySelector(".state");
  badge.dataset.state = state;
  badge.textContent = state;

  const where = el.querySelector(".where");
  if (key === "python" && pane.origin === "missing") where.textContent = "no CPython run for this script";
  // An async generator's states are the same with an A in front.
  else if (/^A?GEN_SUSPENDED$/.test(state)) {
    const mirror = key === "python" ? null : mirrorOf(pane.source, now.line);
    where.innerHTML = `paused at line ${now.line}` +
      (mirror ? `: <code>${escapeHtml(mirror)}</code>` : "");
  }
  else if (/^A?GEN_CREATED$/.test(state)) where.textContent = "created: none of the body has run";
  else if (state === "GEN_CLOSED") where.textContent = "closed: every call now raises StopIteration";
  else if (state === "AGEN_CLOSED") where.textContent = "closed: every anext now raises StopAsyncIteration";
  else where.textContent = "";
  if (key === "python" && pane.origin === "recorded") where.textContent += " (recorded run)";

  const list = el.querySelector(".code ol");
  if (list.dataset.source !== pane.source) {
    list.dataset.source = pane.source;
    const lines = pane.source.replace(/\n$/, "").split("\n");
    list.innerHTML = lines
      .map((text, i) => `<li data-line="${i + 1}"><span class="n">${i + 1}</span><span>${highlight(text, lang)}</span></li>`)
      .join("");
  }
  for (const li of list.querySelectorAll("li.paused")) li.classList.remove("paused");
  if (now.line == null) {
    // Not paused at a yield: open a Rust pane at the demo's body (the first
    // line after its `// ANCHOR:` marker and the doc comment under it), not
    // at the file's doc comment, which repeats the Python. The Python
    // pane's source starts at the body.
    const items = Array.from(list.children);
    let body = items.findIndex((li) => /\bANCHOR: /.test(li.textContent));
    // Past the doc comment above the function too: it is the Python again.
    while (body >= 0 && body + 1 < items.length && /^\s*\/\//.test(items[body].children[1].textContent)) body += 1;
    const box = el.querySelector(".code");
    if (body >= 0) box.scrollTop = Math.max(0, items[body].offsetTop - 4);
    // From the left margin, whatever an earlier script scrolled to.
    box.scrollLeft = 0;
  }
  if (now.line != null) {
    const li = list.querySelector(`li[data-line="${now.line}"]`);
    if (li) {
      li.classList.add("paused");
      const box = el.querySelector(".code");
      box.scrollTop = li.offsetTop - box.clientHeight / 2 + li.clientHeight / 2;
      // Rust bodies are deeply indented: scroll the indentation shared by
      // the lines around the paused one out of sight, not their code.
      const around = Array.from(list.children).slice(Math.max(0, now.line - 9), now.line + 8);
      const texts = around.map((item) => item.children[1].textContent).filter((t) => t.trim());
      const lead = Math.min(...texts.map((t) => t.length - t.trimStart().length));
      const code = li.children[1];
      const width = code.textContent.length ? code.getBoundingClientRect().width / code.textContent.length : 0;
      box.scrollLeft = Math.max(0, (lead - 1) * width);
    }
  }

  const locals = el.querySelector(".locals");
  if (locals) {
    const entries = Object.entries(now.locals || {});
    locals.innerHTML = entries
      .map(([name, value]) => `<div><dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd></div>`)
      .join("");
  }

  const stepList = el.querySelector(".steps");
  stepList.innerHTML = steps
    .map((s, i) => `<li data-outcome="${escapeHtml(s.outcome)}" data-state="${s.state}"${s.differs ? ' class="differs" data-differs="true"' : ""}>
        <span class="i">${i + 1}</span><span class="op">${escapeHtml(s.op)}</span>
        <span class="out ${outcomeClass(s.outcome)}">${s.differs ? '<span class="flag" title="differs from CPython">≠ </span>' : ""}${escapeHtml(s.outcome)}</span></li>`)
    .join("");
  stepList.scrollTop = stepList.scrollHeight;
  el.classList.toggle("differs", steps.some((s) => s.differs));
}

function isAsync(name) {
  return asyncDemos.includes(name);
}

// What each op button does for the demo shown: a generator's next / send /
// throw / close, or an async generator's anext / asend / athrow / aclose
// (the same buttons and keys, awaited).
function opName(verb) {
  return isAsync(demo) ? `a${verb}` : verb;
}

function labelButtons() {
  const a = isAsync(demo);
  const calls = a
    ? { next: "await anext(g)", send: "await g.asend(N)", throw: "await g.athrow(E)", close: "await g.aclose()" }
    : { next: "next(g)", send: "g.send(N)", throw: "g.throw(E)", close: "g.close()" };
  for (const verb of ["next", "send", "throw", "close"]) {
    const button = $(`op-${verb}`);
    button.innerHTML = `<kbd>${verb[0]}</kbd> ${opName(verb)}`;
    button.title = `${calls[verb]}   key: ${verb[0]}`;
  }
  // `del g` (the finaliser closes a suspended generator) is a
  // generator's op; an async generator is finalised by its event loop.
  $("op-del").hidden = a;
  $("send-value").setAttribute("aria-label", `value to ${opName("send")} (an int or None)`);
  $("throw-kind").setAttribute("aria-label", `exception to ${opName("throw")}`);
  document.body.dataset.kind = a ? "async" : "sync";
}

function renderScript() {
  const calls = ops.map((op) => {
    const [verb, arg] = op.split(" ");
    if (verb === "next") return "next(g)";
    if (verb === "close") return "g.close()";
    if (verb === "del") return "del g";
    if (verb === "anext") return "await anext(g)";
    if (verb === "aclose") return "await g.aclose()";
    return verb.startsWith("a") ? `await g.${verb}(${arg})` : `g.${verb}(${arg})`;
  });
  $("script").innerHTML = `<b>g = ${escapeHtml(demo)}()</b>` + calls.map((c) => ` · ${escapeHtml(c)}`).join("");
}

function currentQuery() {
  return [`demo=${encodeURIComponent(demo)}`, ...ops.map((op) => `op=${encodeURIComponent(op)}`)].join("&");
}

async function refresh() {
  const mine = ++generation;
  const query = currentQuery();
  location.replace(`#${query}`);
  renderScript();
  document.body.dataset.busy = "true";
  let answer;
  try {
    const response = await fetch(`/api/run?${query}`);
    const text = await response.text();
    if (!response.ok) throw new Error(text.trim());
    answer = JSON.parse(text);
  } catch (error) {
    if (mine !== generation) return;
    $("error").textContent = error.message;
    $("error").hidden = false;
    ops.pop();
    renderScript();
    document.body.dataset.busy = "false";
    return;
  }
  if (mine !== generation) return;
  $("error").hidden = true;
  $("note").hidden = !answer.note;
  $("note").textContent = answer.note ? `CPython: ${answer.note}.` : "";
  for (const [key] of PANES) renderPane(key, answer.panes[key]);
  document.body.dataset.ops = String(ops.length);
  document.body.dataset.busy = "false";
}

function push(op) {
  // After `del g` there is no generator left to call: undo or restart.
  if (ops[ops.length - 1] === "del") return;
  ops.push(op);
  refresh();
}

function sendOp() {
  const raw = $("send-value").value.trim() || "None";
  push(`${opName("send")} ${raw}`);
}

function throwOp() {
  push(`${opName("throw")} ${$("throw-kind").value}`);
}

function chooseDemo(name) {
  demo = name;
  $("demo").value = name;
  labelButtons();
  ops = [];
  refresh();
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const wanted = params.get("demo");
  if (wanted && demos.includes(wanted)) demo = wanted;
  ops = params.getAll("op");
}

async function start() {
  buildPanes();
  const info = await (await fetch("/api/demos")).json();
  asyncDemos = info.async_demos || [];
  demos = info.demos.concat(asyncDemos);
  const options = (names) => names.map((d) => `<option value="${d}">${d}()</option>`).join("");
  $("demo").innerHTML = `<optgroup label="generators">${options(info.demos)}</optgroup>` +
    `<optgroup label="async generators">${options(asyncDemos)}</optgroup>`;
  $("throw-kind").innerHTML = info.exceptions
    .filter((e) => e !== "StopIteration")
    .map((e) => `<option value="${e}">${e}</option>`)
    .join("");
  readHash();
  $("demo").value = demo;
  labelButtons();
  // Once a demo is chosen, the keys are for stepping it, not for the list.
  $("demo").addEventListener("change", (e) => { chooseDemo(e.target.value); e.target.blur(); });
  $("throw-kind").addEventListener("change", (e) => e.target.blur());
  $("op-next").addEventListener("click", () => push(opName("next")));
  $("op-send").addEventListener("click", sendOp);
  $("send-value").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); sendOp(); }
    if (e.key === "Escape") e.target.blur();
  });
  $("op-throw").addEventListener("click", throwOp);
  $("op-close").addEventListener("click", () => push(opName("close")));
  $("op-del").addEventListener("click", () => { if (!isAsync(demo)) push("del"); });
  $("undo").addEventListener("click", () => { if (ops.length) { ops.pop(); refresh(); } });
  $("reset").addEventListener("click", () => { ops = []; refresh(); });
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = e.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    const keys = {
      n: () => push(opName("next")),
      s: () => { $("send-value").focus(); $("send-value").select(); },
      t: throwOp,
      c: () => push(opName("close")),
      d: () => { if (!isAsync(demo)) push("del"); },
      u: () => $("undo").click(),
      r: () => $("reset").click(),
      "[": () => chooseDemo(demos[(demos.indexOf(demo) + demos.length - 1) % demos.length]),
      "]": () => chooseDemo(demos[(demos.indexOf(demo) + 1) % demos.length]),
    };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  // A link or a typed URL that changes only the #fragment.
  window.addEventListener("hashchange", () => {
    if (location.hash.slice(1) === currentQuery()) return;
    readHash();
    $("demo").value = demo;
    labelButtons();
    refresh();
  });
  refresh();
}

start();
