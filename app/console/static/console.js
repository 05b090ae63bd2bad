// Sangam console: the overview screen (KPIs, crowds, alerts, parking), live over Socket.IO.
"use strict";
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

let kpiTimer = null;
function refreshKpisSoon() { clearTimeout(kpiTimer); kpiTimer = setTimeout(() => refreshKpis().catch(() => {}), 1500); }
let temples = [];

$("#alert-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  if (data.scope === "city") { delete data.temple; delete data.zone; }
  if (data.scope === "temple") delete data.zone;
  try {
    await call("alerts", { method: "POST", body: JSON.stringify(data) });
    $("#alert-error").textContent = ""; event.target.reset(); refreshAlerts();
  } catch (e) { $("#alert-error").textContent = errorText(e); }
});

Console.start({
  subscriptions: () => [...temples.map((t) => ({ channel: "crowd", temple_id: t.slug })), { channel: "alerts" }, { channel: "parking" }],
  onEvent(name, data) {
    if (name === "crowd_update") { (data.zones || [data]).forEach((z) => keepZone({ temple: data.temple, ...z })); renderCrowd(); refreshKpisSoon(); }
    else if (name === "alert") { refreshAlerts().catch(() => {}); refreshKpisSoon(); }
    else if (name === "parking_update") { refreshParking().catch(() => {}); refreshKpisSoon(); }
  },
  async refresh() {
    temples = await call("temples");
    templeNames = Object.fromEntries(temples.map((t) => [t.slug, t.name]));
    const select = $("#alert-form select[name=temple]");
    if (!select.options.length) temples.forEach((t) => select.add(new Option(t.name, t.slug)));
    await Promise.all([refreshKpis(), refreshCrowd(temples), refreshAlerts(), refreshParking()]);
  },
  reset() { crowd.clear(); },
});
