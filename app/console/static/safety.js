// Sangam console: the incidents board. Open incidents with age, severity and units, live over the `emergency`
// channel; acknowledge / start / resolve for responders, dispatch (nearest or a chosen unit) for safety officers.
"use strict";
const board = new Map();            // code -> incident (open ones only)
let units = [];
let selected = new URLSearchParams(location.search).get("incident");  // deep link from a notification
const RANK = { critical: 4, high: 3, medium: 2, low: 1 };
const OPEN = ["reported", "acknowledged", "in_progress"];
const NEXT = { reported: ["acknowledge", "Acknowledge"], acknowledged: ["start", "Start"], in_progress: ["resolve", "Resolve"] };

function age(iso) {
  const minutes = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function keep(incident) {
  if (OPEN.includes(incident.status)) board.set(incident.code, incident); else board.delete(incident.code);
  if (incident.code === selected) showTimeline(incident);
}

function ordered() {
  return [...board.values()].sort((a, b) => (RANK[b.severity] - RANK[a.severity]) || a.reported_at.localeCompare(b.reported_at));
}

function fail(e) { $("#board-error").textContent = errorText(e); }

async function step(code, action) {
  try { keep(await call(`safety/incidents/${code}/${action}`, { method: "POST", body: "{}" })); $("#board-error").textContent = ""; render(); }
  catch (e) { fail(e); refreshBoard().catch(() => {}); }
}

async function dispatch(code, unitId) {
  const body = unitId ? { unit_id: Number(unitId) } : {};
  try {
    keep(await call(`safety/incidents/${code}/dispatch`, { method: "POST", body: JSON.stringify(body) }));
    $("#board-error").textContent = ""; render(); refreshUnits().catch(() => {});
  } catch (e) { fail(e); }
}

function dispatchControls(incident) {
  const select = el("select", { className: "unit-choice", title: "unit to send" }, new Option("nearest fitting unit", ""));
  select.style.width = "auto";
  units.filter((u) => u.status === "available").forEach((u) => select.add(new Option(`${u.name} (${u.kind.replace("_", " ")})`, u.id)));
  return [select, button("Dispatch", () => dispatch(incident.code, select.value))];
}

function actions(incident) {
  const td = cell("");
  const next = NEXT[incident.status];
  if (next) td.append(button(next[1], () => step(incident.code, next[0])));
  if (Console.allowed("safety_officer")) td.append(...dispatchControls(incident));
  return td;
}

function render() {
  const rows = ordered().map((i) => {
    const place = i.temple && `${i.temple}${i.zone ? " / " + i.zone : ""}`;
    const where = [i.title, place && !i.title.includes(place) ? place : null, i.location_text].filter(Boolean).join(" — ");
    const serving = i.units.filter((u) => u.status !== "released").map((u) => `${u.name} (${u.status.replace("_", " ")})`);
    const code = el("a", { href: `?incident=${i.code}`, textContent: i.code });
    code.addEventListener("click", (event) => { event.preventDefault(); selected = i.code; showTimeline(i); render(); });
    const tr = row([cell(""), cell(age(i.reported_at)), cell(i.severity, `sev-${i.severity}`), cell(i.type.replace("_", " ")),
      cell(where), cell(i.status.replace("_", " "), "status"), cell(serving.join(", ") || "–", "serving"),
      cell(i.related.join(", ") || "–"), actions(i)]);
    tr.firstChild.append(code);
    tr.dataset.code = i.code;
    if (i.code === selected) tr.style.background = "#fff3d6";
    return tr;
  });
  if (rows.length) $("#board tbody").replaceChildren(...rows); else emptyRow($("#board tbody"), 9, "No open incidents.");
  $("#board-count").textContent = `${rows.length} open`;
}

function showTimeline(incident) {
  $("#detail-card").hidden = false;
  $("#detail-code").textContent = `${incident.code} · ${incident.status.replace("_", " ")}`;
  $("#timeline").replaceChildren(...incident.timeline.map((t) =>
    el("li", { textContent: `${localTime(t.at)} — ${t.action} by ${t.by.name}${t.note ? ": " + t.note : ""}` })));
}

function renderUnits() {
  $("#units tbody").replaceChildren(...units.map((u) => row([cell(u.name), cell(u.kind.replace("_", " ")),
    cell(u.status.replace("_", " ")), cell(u.incident || "–")])));
}

async function refreshBoard() {
  const open = await call("safety/incidents/active");
  board.clear();
  open.forEach(keep);
  render();
  if (selected && !board.has(selected)) {  // a deep link to a closed incident still shows its timeline
    try { showTimeline(await call(`safety/incidents/${selected}`)); } catch (e) { /* not visible to this user */ }
  }
}

async function refreshUnits() {
  if (!Console.allowed("safety_officer")) { $("#units-card").hidden = true; return; }
  units = await call("safety/units");
  $("#units-card").hidden = false;
  renderUnits();
}

let unitsTimer = null;
function refreshUnitsSoon() { clearTimeout(unitsTimer); unitsTimer = setTimeout(() => refreshUnits().then(render).catch(() => {}), 500); }

Console.start({
  subscriptions: () => [{ channel: "emergency" }],
  onEvent(name, data) {
    if (name !== "emergency") return;
    if (data.snapshot) { board.clear(); data.incidents.forEach(keep); } else keep(data);
    render();
    refreshUnitsSoon();
  },
  async refresh() { await refreshUnits(); await refreshBoard(); },
  reset() { board.clear(); units = []; render(); $("#detail-card").hidden = true; },
});
setInterval(() => { if (board.size) render(); }, 30000);  // ages move on
