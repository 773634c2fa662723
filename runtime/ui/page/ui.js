// topoc run --ui: the live page. The graph is Graphviz's SVG, inlined by the
// server; this script annotates its nodes and fills the tables from
// /topoc/live (once) and /topoc/events (Server-Sent Events, ~1 Hz), and
// shows a component's tasks, errors and log on click.
"use strict";

const boot = window.TOPOC_BOOT || { id: "", components: [] };
const topologyId = boot.id;
const nodes = {};     // component id -> {g, lines: [text, text], shape}
let selected = null;  // component id shown in #detail
let detailTimer = null;

function fmt(v, digits) {
  if (v === null || v === undefined || isNaN(v)) return "-";
  if (digits !== undefined) return Number(v).toFixed(digits);
  if (v >= 1e6) return (v / 1e6).toFixed(1) + "M";
  if (v >= 1e4) return (v / 1e3).toFixed(0) + "k";
  return String(Math.round(v));
}

// Storm UI's colours for capacity: a warning from 0.8, red from 0.95.
function capClass(cap) { return cap >= 0.95 ? "hot" : cap >= 0.8 ? "warn" : ""; }

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}

// Two lines of live figures under each node of the SVG.
function setupGraph() {
  const svgNS = "http://www.w3.org/2000/svg";
  for (const g of document.querySelectorAll("#graph g.node")) {
    const title = g.querySelector("title");
    if (!title) continue;
    const id = title.textContent.trim();
    const shape = g.querySelector("polygon, path, ellipse");
    let box;
    try { box = g.getBBox(); } catch (e) { continue; }
    const lines = [0, 1].map((i) => {
      const t = document.createElementNS(svgNS, "text");
      t.setAttribute("x", box.x + box.width / 2);
      t.setAttribute("y", box.y + box.height + 12 + 12 * i);
      t.setAttribute("text-anchor", "middle");
      t.setAttribute("class", "live");
      t.setAttribute("data-component", id);
      g.appendChild(t);
      return t;
    });
    g.setAttribute("data-component", id);
    g.addEventListener("click", () => select(id));
    nodes[id] = { g, lines, shape, fill: shape ? shape.getAttribute("fill") : null };
  }
  // Room for the lines under the lowest nodes.
  const svg = document.querySelector("#graph svg");
  if (svg && svg.viewBox && svg.viewBox.baseVal) {
    const vb = svg.viewBox.baseVal;
    svg.setAttribute("viewBox", `${vb.x - 40} ${vb.y} ${vb.width + 80} ${vb.height + 30}`);
    const w = parseFloat(svg.getAttribute("width"));
    const h = parseFloat(svg.getAttribute("height"));
    if (w) svg.setAttribute("width", (w + 80) + "pt");
    if (h) svg.setAttribute("height", (h + 30) + "pt");
  }
}

function updateGraph(c) {
  const n = nodes[c.id];
  if (!n) return;
  const rate = c.type === "spout" ? `${fmt(c.emittedRate)}/s emitted · ${fmt(c.ackedRate)}/s acked`
                                  : `${fmt(c.executedRate)}/s executed · cap ${fmt(c.capacity, 2)}`;
  const lat = c.type === "spout" ? `complete ${fmt(c.completeLatency, 1)} ms` : `execute ${fmt(c.executeLatency, 1)} ms`;
  n.lines[0].textContent = rate;
  n.lines[1].textContent = `${lat} · ${fmt(c.failed)} failed · ${fmt(c.restarts)} restarts`;
  const cls = c.type === "bolt" ? capClass(c.capacity) : "";
  for (const t of n.lines) t.setAttribute("class", "live " + cls);
  if (n.shape && n.fill) {
    n.shape.setAttribute("fill", cls === "hot" ? "#f8d7da" : cls === "warn" ? "#fff3cd" : n.fill);
  }
  if (c.states && c.states.down > 0 && n.shape) n.shape.setAttribute("stroke-dasharray", "4 2");
  else if (n.shape) n.shape.removeAttribute("stroke-dasharray");
}

function updateTable(live) {
  const body = document.querySelector("#components tbody");
  for (const c of live.components) {
    let row = body.querySelector(`tr[data-component="${CSS.escape(c.id)}"]`);
    if (!row) {
      row = el("tr", { "data-component": c.id, class: "component" });
      for (const k of ["id", "tasks", "emittedRate", "executedRate", "ackedRate", "failedRate", "capacity", "latency",
                       "failed", "restarts", "lastError"]) {
        row.appendChild(el("td", { class: k }));
      }
      row.addEventListener("click", () => select(c.id));
      body.appendChild(row);
    }
    const cell = (k) => row.querySelector("td." + k);
    cell("id").textContent = `${c.id} (${c.type})`;
    const running = c.states ? c.states.running : 0;
    cell("tasks").textContent = `${running}/${c.tasks}`;
    cell("tasks").className = "tasks" + (running < c.tasks ? " down" : "");
    for (const k of ["emittedRate", "executedRate", "ackedRate", "failedRate"]) {
      cell(k).textContent = fmt(c[k]);
      cell(k).setAttribute("data-value", c[k]);
    }
    cell("capacity").textContent = c.type === "bolt" ? fmt(c.capacity, 3) : "";
    cell("capacity").className = "capacity " + (c.type === "bolt" ? capClass(c.capacity) : "");
    cell("latency").textContent = fmt(c.type === "bolt" ? c.executeLatency : c.completeLatency, 2);
    cell("failed").textContent = fmt(c.failed);
    cell("restarts").textContent = fmt(c.restarts);
    cell("lastError").textContent = c.lastError || "";
    cell("lastError").className = "lastError error";
    cell("lastError").title = c.lastError || "";
    row.classList.toggle("selected", c.id === selected);
  }
}

function update(live) {
  const status = document.getElementById("status");
  status.textContent = `${live.status} · up ${fmt(live.uptimeSeconds)} s · ${fmt(live.tuplesRouted)} tuples routed` +
                       (live.ended ? " · the run has ended" : "");
  status.className = "status" + (live.ended ? " ended" : "");
  document.body.setAttribute("data-uptime", live.uptimeSeconds);
  for (const c of live.components) updateGraph(c);
  updateTable(live);
}

async function showDetail() {
  if (!selected) return;
  const base = `/api/v1/topology/${encodeURIComponent(topologyId)}/component/${encodeURIComponent(selected)}`;
  let comp;
  try {
    comp = await (await fetch(base)).json();
  } catch (e) {
    return;
  }
  if (comp.error) return;
  document.getElementById("detail").hidden = false;
  document.getElementById("detail-title").textContent =
      `${comp.id} (${comp.componentType}) · ${comp.tasks} task(s)`;
  const body = document.querySelector("#tasks tbody");
  body.textContent = "";
  const select = document.getElementById("log-task");
  const chosen = select.value;
  select.textContent = "";
  for (const e of comp.executorStats) {
    const lat = comp.componentType === "bolt" ? e.executeLatency : e.completeLatency;
    const cells = [e.task, e.pid === null ? "-" : e.pid, e.state, e.uptime, fmt(e.emitted),
                   comp.componentType === "bolt" ? fmt(e.executed) : "", fmt(e.acked), fmt(e.failed),
                   comp.componentType === "bolt" ? e.capacity : "", lat, e.restarts];
    const row = el("tr");
    cells.forEach((v, i) => {
      const td = el("td", {}, String(v));
      if (i === 2 && v !== "running") td.className = "down";
      if (i === 8 && v !== "") td.className = capClass(parseFloat(v));
      row.appendChild(td);
    });
    body.appendChild(row);
    select.appendChild(el("option", { value: e.task }, `task ${e.task}`));
  }
  if (chosen) select.value = chosen;
  const errors = document.getElementById("errors");
  errors.textContent = "";
  for (const e of comp.componentErrors.slice(0, 10)) {
    errors.appendChild(el("li", {}, `${new Date(e.errorTime).toLocaleTimeString()} task ${e.task}: ${e.error}`));
  }
  if (!comp.componentErrors.length) errors.appendChild(el("li", { class: "hint" }, "none"));
  const task = select.value;
  if (task) {
    const res = await fetch(`/topoc/log?component=${encodeURIComponent(selected)}&task=${task}&lines=60`);
    const log = document.getElementById("log");
    const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.textContent = res.ok ? await res.text() : "";
    document.getElementById("log-file").textContent = res.headers.get("X-Log-File") || "";
    if (atEnd) log.scrollTop = log.scrollHeight;
  }
}

function select(id) {
  selected = id;
  for (const n of Object.values(nodes)) n.g.classList.remove("selected");
  if (nodes[id]) nodes[id].g.classList.add("selected");
  for (const r of document.querySelectorAll("#components tr.component")) {
    r.classList.toggle("selected", r.getAttribute("data-component") === id);
  }
  document.getElementById("log-task").value = "";
  showDetail();
  clearInterval(detailTimer);
  detailTimer = setInterval(showDetail, 2000);
}

// ?events=N: stop listening after N updates (a still page: for screenshots
// and headless browsers, which wait for open connections).
const params = new URLSearchParams(location.search);
const maxEvents = parseInt(params.get("events") || "0", 10) || 0;

function connect() {
  const source = new EventSource("/topoc/events");
  let received = 0;
  source.onmessage = (ev) => {
    update(JSON.parse(ev.data));
    received += 1;
    document.body.setAttribute("data-events", received);
    if (maxEvents && received >= maxEvents) {
      source.close();
      document.getElementById("status").textContent += ` · paused after ${received} updates (reload to go on)`;
    }
  };
  source.onerror = () => {
    const status = document.getElementById("status");
    if (!status.classList.contains("ended")) status.textContent = "disconnected (the run has stopped?)";
  };
}

setupGraph();
document.getElementById("log-task").addEventListener("change", showDetail);
fetch("/topoc/live").then((r) => r.json()).then(update).catch(() => {});
connect();
const want = params.get("component");
if (want) select(want);
