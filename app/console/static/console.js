// Sangam console: talks to the JSON API with the operator's access token (kept for this tab only).
"use strict";
const api = "/api/v1";
const $ = (sel) => document.querySelector(sel);
// Tokens live in this tab's sessionStorage; an expired access token is renewed once with the refresh token.
let token = sessionStorage.getItem("sangam.token");
let refreshToken = sessionStorage.getItem("sangam.refresh");

function keepTokens(access, refresh) {
  token = access; refreshToken = refresh;
  if (access) { sessionStorage.setItem("sangam.token", access); sessionStorage.setItem("sangam.refresh", refresh); }
  else { sessionStorage.removeItem("sangam.token"); sessionStorage.removeItem("sangam.refresh"); }
}

async function send(path, options, bearer) {
  const headers = { "Content-Type": "application/json", ...(options.headers || {}) };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const response = await fetch(path.startsWith("/") ? path : `${api}/${path}`, { ...options, headers });
  const body = response.status === 204 ? null : await response.json();
  return { response, body };
}

let renewing = null;
async function renew() {  // one refresh at a time: a refresh token is single-use
  renewing ??= send("auth/refresh", { method: "POST" }, refreshToken).then(({ response, body }) => {
    if (!response.ok) throw new Error("session expired");
    keepTokens(body.access_token, body.refresh_token);
  }).finally(() => { renewing = null; });
  return renewing;
}

async function call(path, options = {}) {
  let { response, body } = await send(path, options, token);
  if (response.status === 401 && body?.error === "token_expired" && refreshToken) {
    try { await renew(); ({ response, body } = await send(path, options, token)); } catch (e) { /* falls through */ }
  }
  if (!response.ok) throw Object.assign(new Error(body?.message || response.statusText), { body, status: response.status });
  return body;
}

function cell(text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; return td; }
function row(cells) { const tr = document.createElement("tr"); cells.forEach((c) => tr.append(c)); return tr; }

async function refreshHealth() {
  try { const h = await call("/health"); $("#health").textContent = `health: ${h.status}`; }
  catch (e) { $("#health").textContent = "health: down"; }
}

// Crowd rows by "temple|zone", filled by REST and kept current by live crowd_update events.
const crowd = new Map();
let templeNames = {};

function renderCrowd() {
  $("#crowd tbody").replaceChildren(...[...crowd.values()].map((z) => row([cell(templeNames[z.temple] || z.temple),
    cell(z.name || z.zone), cell(z.count), cell(z.capacity), cell(`${z.density_pct}%`), cell(z.level, `level-${z.level}`)])));
}

function keepZone(z) {
  const key = `${z.temple}|${z.zone}`;
  crowd.set(key, { ...(crowd.get(key) || {}), ...z });
}

async function refreshCrowd(temples) {
  for (const t of temples) (await call(`temples/${t.slug}/crowd/current`)).zones.forEach((z) => keepZone({ ...z, temple: t.slug }));
  renderCrowd();
}

async function refreshAlerts() {
  const alerts = await call("alerts?active=true");
  if (!alerts.length) {
    $("#alerts").replaceChildren(Object.assign(document.createElement("li"), { className: "empty", textContent: "No active alerts." }));
    return;
  }
  $("#alerts").replaceChildren(...alerts.map((a) => {
    const li = document.createElement("li");
    li.className = `sev-${a.severity}`;
    li.textContent = `[${a.severity}] ${a.title} — ${a.temple || "city"}${a.zone ? " / " + a.zone : ""}: ${a.message} `;
    const cancel = Object.assign(document.createElement("button"), { className: "small", textContent: "Cancel" });
    cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      try { await call(`alerts/${a.id}/cancel`, { method: "POST" }); $("#alert-error").textContent = ""; refreshAlerts(); refreshKpisSoon(); }
      catch (e) { cancel.disabled = false; $("#alert-error").textContent = e.message; }
    });
    li.append(cancel);
    return li;
  }));
}

async function refreshParking() {
  const lots = await call("parking/lots");
  $("#parking tbody").replaceChildren(...lots.map((l) => row([cell(l.name), cell(l.address), cell(l.available_spots),
    cell(l.total_spots), cell(l.price_per_hour)])));
}

function formatKpi(k) {
  if (k.value === null) return "–";
  if (k.unit === "INR") return `₹${Number(k.value).toLocaleString("en-IN", { maximumFractionDigits: 2 })}`;
  if (k.unit === "%") return `${k.value}%`;
  return Number(k.value).toLocaleString("en-IN");
}

async function refreshKpis() {
  let data;
  try { data = await call("reports/kpis"); }
  catch (e) { if (e.status === 403) { $("#kpi-card").hidden = true; return; } throw e; }  // operators and admins only
  $("#kpi-card").hidden = false;
  $("#kpi-date").textContent = `${data.date} (${data.timezone}), against the day before`;
  $("#kpis").replaceChildren(...data.kpis.map((k) => {
    const li = document.createElement("li");
    li.dataset.name = k.name;
    const value = Object.assign(document.createElement("span"), { className: "value", textContent: formatKpi(k) });
    const title = Object.assign(document.createElement("span"), { className: "title", textContent: k.title });
    li.append(value, title);
    if (k.change_pct !== null) {
      const change = Object.assign(document.createElement("span"), {
        className: `change ${k.change_pct >= 0 ? "up" : "down"}`,
        textContent: ` ${k.change_pct >= 0 ? "▲" : "▼"} ${Math.abs(k.change_pct)}%` });
      li.append(change);
    }
    return li;
  }));
}

let live = null;
let kpiTimer = null;
function refreshKpisSoon() { clearTimeout(kpiTimer); kpiTimer = setTimeout(() => refreshKpis().catch(() => {}), 1500); }

function onLiveEvent(name, data) {
  if (name === "crowd_update") { (data.zones || [data]).forEach((z) => keepZone({ temple: data.temple, ...z })); renderCrowd(); refreshKpisSoon(); }
  else if (name === "alert") { refreshAlerts().catch(() => {}); refreshKpisSoon(); }
  else if (name === "parking_update") { refreshParking().catch(() => {}); refreshKpisSoon(); }
}

function startLive(temples) {
  if (live || typeof LiveSocket === "undefined") return;
  live = new LiveSocket({
    auth: () => ({ token }),
    onEvent: onLiveEvent,
    onStatus: (status) => { $("#live").textContent = status; $("#live").className = `pill live-${status}`; },
  });
  temples.forEach((t) => live.subscribe({ channel: "crowd", temple_id: t.slug }));
  live.subscribe({ channel: "alerts" });
  live.subscribe({ channel: "parking" });
}

function stopLive() { if (live) live.close(); live = null; $("#live").textContent = ""; $("#live").className = ""; }

async function refresh() {
  await refreshHealth();
  if (!token) return;
  try {
    const temples = await call("temples");
    templeNames = Object.fromEntries(temples.map((t) => [t.slug, t.name]));
    const select = $("#alert-form select[name=temple]");
    if (!select.options.length) temples.forEach((t) => select.add(new Option(t.name, t.slug)));
    await Promise.all([refreshKpis(), refreshCrowd(temples), refreshAlerts(), refreshParking()]);
    startLive(temples);
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
  keepTokens(null, null); stopLive(); crowd.clear(); showSession(null);
}

$("#login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const result = await call("auth/login", { method: "POST", body: JSON.stringify(Object.fromEntries(form)) });
    keepTokens(result.access_token, result.refresh_token);
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
  if (token) { try { showSession(await call("auth/me")); } catch (e) { keepTokens(null, null); showSession(null); } }
  refresh();
  setInterval(refresh, 60000);  // live events keep the page current; this catches anything missed
})();
