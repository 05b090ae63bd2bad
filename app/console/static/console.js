// Sangam console: talks to the JSON API with the operator's access token (kept for this tab only).
"use strict";
const api = "/api/v1";
const $ = (sel) => document.querySelector(sel);
let token = sessionStorage.getItem("sangam.token");

async function call(path, options = {}) {
  const headers = { "Content-Type": "application/json", ...(options.headers || {}) };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path.startsWith("/") ? path : `${api}/${path}`, { ...options, headers });
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) throw Object.assign(new Error(body?.message || response.statusText), { body, status: response.status });
  return body;
}

function cell(text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; return td; }
function row(cells) { const tr = document.createElement("tr"); cells.forEach((c) => tr.append(c)); return tr; }

async function refreshHealth() {
  try { const h = await call("/health"); $("#health").textContent = `health: ${h.status}`; }
  catch (e) { $("#health").textContent = "health: down"; }
}

async function refreshCrowd(temples) {
  const body = $("#crowd tbody");
  const rows = [];
  for (const t of temples) {
    const now = await call(`temples/${t.slug}/crowd/current`);
    now.zones.forEach((z) => rows.push(row([cell(t.name), cell(z.name || z.zone), cell(z.count), cell(z.capacity),
      cell(`${z.density_pct}%`), cell(z.level, `level-${z.level}`)])));
  }
  body.replaceChildren(...rows);
}

async function refreshAlerts() {
  const alerts = await call("alerts?active=true");
  $("#alerts").replaceChildren(...alerts.map((a) => {
    const li = document.createElement("li");
    li.className = `sev-${a.severity}`;
    li.textContent = `[${a.severity}] ${a.title} — ${a.temple || "city"}${a.zone ? " / " + a.zone : ""}: ${a.message}`;
    return li;
  }));
}

async function refreshParking() {
  const lots = await call("parking/lots");
  $("#parking tbody").replaceChildren(...lots.map((l) => row([cell(l.name), cell(l.address), cell(l.available_spots),
    cell(l.total_spots), cell(l.price_per_hour)])));
}

async function refresh() {
  await refreshHealth();
  if (!token) return;
  try {
    const temples = await call("temples");
    const select = $("#alert-form select[name=temple]");
    if (!select.options.length) temples.forEach((t) => select.add(new Option(t.name, t.slug)));
    await Promise.all([refreshCrowd(temples), refreshAlerts(), refreshParking()]);
  } catch (e) { if (e.status === 401) logout(); }
}

function showSession(me) {
  $("#login-panel").hidden = Boolean(me);
  $("#dashboard").hidden = !me;
  $("#logout").hidden = !me;
  $("#who").textContent = me ? `${me.full_name} (${me.role})` : "";
}

async function logout() {
  try { if (token) await call("auth/logout", { method: "POST" }); } catch (e) { /* already invalid */ }
  token = null; sessionStorage.removeItem("sangam.token"); showSession(null);
}

$("#login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const result = await call("auth/login", { method: "POST", body: JSON.stringify(Object.fromEntries(form)) });
    token = result.access_token; sessionStorage.setItem("sangam.token", token);
    $("#login-error").textContent = ""; showSession(result.user); refresh();
  } catch (e) { $("#login-error").textContent = e.message; }
});

$("#alert-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  if (data.scope === "city") { delete data.temple; delete data.zone; }
  if (data.scope === "temple") delete data.zone;
  try {
    await call("alerts", { method: "POST", body: JSON.stringify(data) });
    $("#alert-error").textContent = ""; event.target.reset(); refreshAlerts();
  } catch (e) {
    const fields = e.body?.errors ? Object.entries(e.body.errors).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ") : "";
    $("#alert-error").textContent = fields || e.message;
  }
});

$("#logout").addEventListener("click", logout);

(async () => {
  if (token) { try { showSession(await call("auth/me")); } catch (e) { token = null; showSession(null); } }
  refresh();
  setInterval(refresh, 15000);
})();
