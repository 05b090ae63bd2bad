// Sangam console: the overview screen — the map, KPIs, crowds, alerts, parking and air quality, live over Socket.IO.
// Each figure shows when it was read; one older than STALE_MINUTES is marked. What a role may not read is not asked.
"use strict";
const crowd = new Map();      // "temple|zone" -> zone state (REST, then live crowd_update)
const lots = new Map();       // lot id -> lot (+ `at`: when this console got the figure)
const incidents = new Map();  // code -> open incident
let temples = [];
let templeNames = {};
let aqiZones = [];
const OPEN = ["reported", "acknowledged", "in_progress"];
const RESPONDERS = "operator safety_officer";
const AQI_CLASS = (category) => `aqi-${String(category || "unknown").toLowerCase().replace(/\s+/g, "-")}`;
const mapView = SangamMap.create($("#map"));

// --- temples and zones -----------------------------------------------------------------------------------------
function keepZone(z) {
  const key = `${z.temple}|${z.zone}`;
  crowd.set(key, { ...(crowd.get(key) || {}), ...z });
}

const LEVELS = ["low", "moderate", "high", "critical"];
function templePin(temple) {
  const zones = [...crowd.values()].filter((z) => z.temple === temple.slug);
  const worst = zones.reduce((w, z) => Math.max(w, LEVELS.indexOf(z.level)), -1);
  const chips = zones.map((z) => pinNode(`zone level-${z.level}`, { zone: z.zone, level: z.level },
    `${z.density_pct ?? "–"}%`));
  chips.forEach((c, i) => { c.title = `${zones[i].name || zones[i].zone}: ${zones[i].count} (${t(`level.${zones[i].level}`)})`; });
  const node = pinNode(`temple-pin level-${LEVELS[worst] || "none"}`, { temple: temple.slug },
    el("strong", { textContent: temple.name }), el("span", { className: "zones" }, ...chips));
  const title = `${temple.name}: ` + zones.map((z) => `${z.name || z.zone} ${z.count}/${z.capacity} ${t(`level.${z.level}`)}`).join(", ");
  mapView.pin("temples", `temple:${temple.slug}`, temple.lat, temple.lng, node, title);
}

function renderCrowd() {
  const rows = [...crowd.values()].map((z) => {
    const tr = row([cell(templeNames[z.temple] || z.temple), cell(z.name || z.zone), cell(z.count), cell(z.capacity),
      cell(`${z.density_pct}%`), cell(t(`level.${z.level}`), `level-${z.level}`), readingCell(z.at)]);
    Object.assign(tr.dataset, { temple: z.temple, zone: z.zone, level: z.level });
    return tr;
  });
  $("#crowd tbody").replaceChildren(...rows);
  temples.forEach(templePin);
}

async function refreshCrowd() {
  const states = await Promise.all(temples.map((t) => call(`temples/${t.slug}/crowd/current`)));
  states.forEach((state, i) => state.zones.forEach((z) => keepZone({ ...z, temple: temples[i].slug, at: z.at ?? state.at })));
  renderCrowd();
}

// --- shuttles --------------------------------------------------------------------------------------------------
function showShuttle(s) {
  const pos = s.position;
  const text = t("shuttle.passengers", { passengers: s.passengers ?? 0, capacity: s.capacity });
  const node = pinNode("shuttle-pin", { shuttle: s.id, at: pos?.at || "" }, el("span", { textContent: `⇄ ${s.name}` }));
  mapView.pin("shuttles", `shuttle:${s.id}`, pos?.lat, pos?.lng, node, `${s.name}: ${text}${pos?.at ? " · " + localTime(pos.at) : ""}`);
}

async function refreshShuttles() {
  (await Promise.all(temples.map((t) => call(`temples/${t.slug}/shuttles`)))).flat().forEach(showShuttle);
}

// --- incidents -------------------------------------------------------------------------------------------------
function showIncident(i) {
  const key = `incident:${i.code}`;
  if (!OPEN.includes(i.status)) { incidents.delete(i.code); mapView.drop(key); return; }
  incidents.set(i.code, i);
  const temple = temples.find((x) => x.slug === i.temple);
  const lat = i.lat ?? temple?.lat, lng = i.lng ?? temple?.lng;
  const node = pinNode(`incident-pin sev-${i.severity} status-${i.status}`, { code: i.code, status: i.status },
    el("span", { textContent: `▲ ${i.code}` }));
  mapView.pin("incidents", key, lat, lng, node, `${i.code} · ${i.title} · ${i.status.replace("_", " ")} · ${localTime(i.reported_at)}`);
}

async function refreshIncidents() {
  if (!Console.allowed(RESPONDERS)) return;
  (await call("safety/incidents/active")).forEach(showIncident);
}

// --- signs -----------------------------------------------------------------------------------------------------
function showSign(s) {
  const status = s.status === "online" ? "online" : "offline";
  const node = pinNode(`sign-pin sign-${status}`, { sign: s.id, status }, el("span", { textContent: "■" }));
  mapView.pin("signs", `sign:${s.id}`, s.lat, s.lng, node,
    `${s.name} (${s.zone || "–"}): ${t(`sign.${status}`)} · ${localTime(s.last_seen_at)}`);
}

async function refreshSigns() {
  if (!Console.allowed("operator")) return;
  (await call("city/signs")).forEach(showSign);
}

// --- air quality -----------------------------------------------------------------------------------------------
function renderAqi() {
  aqiZones.forEach((z) => {
    const node = pinNode(`aqi-pin ${AQI_CLASS(z.category)}`, { zone: z.zone }, el("span", { textContent: `AQI ${z.aqi ?? "–"}` }));
    if (z.colour) node.style.borderColor = z.colour;
    mapView.pin("aqi", `aqi:${z.zone}`, z.lat, z.lng, node, `${z.zone}: AQI ${z.aqi ?? "–"} ${z.category || ""} · ${localTime(z.at)}`);
  });
  $("#aqi-list").replaceChildren(...(aqiZones.length ? aqiZones.map((z) => {
    const li = el("li", { className: AQI_CLASS(z.category) }, el("strong", { textContent: z.zone }),
      ` AQI ${z.aqi ?? "–"} ${z.category ? "(" + z.category + ")" : ""} `, readingTime(z.at));
    li.dataset.zone = z.zone;
    return li;
  }) : [el("li", { className: "empty", textContent: "–" })]));
}

async function refreshAqi() { aqiZones = (await call("city/environment/aqi")).zones; renderAqi(); }

// --- alerts ----------------------------------------------------------------------------------------------------
async function refreshAlerts() {
  const alerts = await call("alerts?active=true");
  if (!alerts.length) {
    $("#alerts").replaceChildren(el("li", { className: "empty", textContent: t("alerts.none") }));
    return;
  }
  $("#alerts").replaceChildren(...alerts.map((a) => {
    const li = el("li", { className: `sev-${a.severity}` });
    li.dataset.id = a.id;
    li.append(`[${a.severity}] ${a.title} — ${a.temple || "city"}${a.zone ? " / " + a.zone : ""}: ${a.message} `,
      el("span", { className: "meta" }, readingTime(a.created_at), a.created_by_label ? ` ${t("time.by", { who: a.created_by_label })}` : ""));
    if (Console.allowed("operator")) {
      li.append(button(t("alerts.cancel"), async () => {
        try { await call(`alerts/${a.id}/cancel`, { method: "POST" }); $("#alert-error").textContent = ""; refreshAlerts(); refreshKpisSoon(); }
        catch (e) { $("#alert-error").textContent = e.message; }
      }));
    }
    return li;
  }));
}

// --- parking ---------------------------------------------------------------------------------------------------
function keepLot(lot, at) {
  const id = lot.id ?? lot.lot_id;
  const merged = { ...(lots.get(id) || {}), ...lot, id, at };
  if (!merged.total_spots) lots.delete(id); else lots.set(id, merged);  // a closed lot reports 0 spots
  if (!lots.has(id)) mapView.drop(`lot:${id}`);
}

function renderParking() {
  const list = [...lots.values()].sort((a, b) => a.id - b.id);
  $("#parking tbody").replaceChildren(...list.map((l) => {
    const tr = row([cell(l.name), cell(l.address), cell(l.available_spots), cell(l.total_spots), cell(l.price_per_hour),
      readingCell(l.at)]);
    tr.dataset.lot = l.id;
    return tr;
  }));
  list.forEach((l) => {
    const used = l.total_spots - l.available_spots;
    const pct = Math.round((100 * used) / l.total_spots);
    const state = l.available_spots === 0 ? "full" : pct >= 85 ? "busy" : "ok";
    const node = pinNode(`parking-pin occ-${state}`, { lot: l.id, free: l.available_spots },
      el("span", { textContent: `P ${l.available_spots}/${l.total_spots}` }));
    mapView.pin("parking", `lot:${l.id}`, l.lat, l.lng, node, `${l.name}: ${t("parking.occupied", { pct })} · ${localTime(l.at)}`);
  });
}

async function refreshParking() {
  const now = new Date().toISOString();
  (await call("parking/lots")).forEach((l) => keepLot(l, now));
  renderParking();
}

// --- KPIs (operators and admins) -------------------------------------------------------------------------------
function formatKpi(k) {
  if (k.value === null) return "–";
  if (k.unit === "INR") return `₹${Number(k.value).toLocaleString("en-IN", { maximumFractionDigits: 2 })}`;
  if (k.unit === "%") return `${k.value}%`;
  return Number(k.value).toLocaleString("en-IN");
}

async function refreshKpis() {
  if (!Console.allowed("operator")) { $("#kpi-card").hidden = true; return; }
  const data = await call("reports/kpis");
  $("#kpi-card").hidden = false;
  $("#kpi-date").textContent = t("kpi.against", { date: data.date, timezone: data.timezone });
  $("#kpis").replaceChildren(...data.kpis.map((k) => {
    const li = el("li", {}, el("span", { className: "value", textContent: formatKpi(k) }),
      el("span", { className: "title", textContent: k.title }));
    li.dataset.name = k.name;
    if (k.change_pct !== null) {
      li.append(el("span", { className: `change ${k.change_pct >= 0 ? "up" : "down"}`,
        textContent: ` ${k.change_pct >= 0 ? "▲" : "▼"} ${Math.abs(k.change_pct)}%` }));
    }
    return li;
  }));
}

let kpiTimer = null;
function refreshKpisSoon() { clearTimeout(kpiTimer); kpiTimer = setTimeout(() => refreshKpis().catch(() => {}), 1500); }

// --- the page --------------------------------------------------------------------------------------------------
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

$("#map-focus").addEventListener("change", (event) => {
  const temple = temples.find((x) => x.slug === event.target.value);
  mapView.show(temple?.lat, temple?.lng);
});

Console.start({
  subscriptions: (me) => [
    ...temples.flatMap((t) => [{ channel: "crowd", temple_id: t.slug }, { channel: "transport", temple_id: t.slug }]),
    { channel: "alerts" }, { channel: "parking" },
    ...(Console.allowed(RESPONDERS) ? [{ channel: "emergency" }, { channel: "city", module: "environment" }] : []),
    ...(Console.allowed("operator") ? [{ channel: "signs" }] : []),
  ],
  onEvent(name, data) {
    if (name === "crowd_update") {
      (data.zones || [data]).forEach((z) => keepZone({ temple: data.temple, ...z, at: z.at ?? data.at }));
      renderCrowd(); refreshKpisSoon();
    } else if (name === "transport_update") showShuttle(data);
    else if (name === "alert") { refreshAlerts().catch(() => {}); refreshKpisSoon(); }
    else if (name === "parking_update") {
      const now = new Date().toISOString();
      (data.snapshot ? data.lots : [data]).forEach((l) => keepLot(l, now));
      renderParking(); refreshKpisSoon();
    } else if (name === "emergency") (data.snapshot ? data.incidents : [data]).forEach(showIncident);
    else if (name.startsWith("sign_") || data?.signs) (data.snapshot ? data.signs : [data]).forEach((s) => s?.id && showSign(s));
    else if (name === "environment_alert") refreshAqi().catch(() => {});
  },
  async refresh() {
    temples = await call("temples");
    templeNames = Object.fromEntries(temples.map((t) => [t.slug, t.name]));
    const select = $("#alert-form select[name=temple]");
    if (!select.options.length) temples.forEach((t) => select.add(new Option(t.name, t.slug)));
    const focus = $("#map-focus");
    if (focus.options.length === 1) temples.forEach((t) => focus.add(new Option(t.name, t.slug)));
    await Promise.all([refreshKpis(), refreshCrowd(), refreshAlerts(), refreshParking(), refreshAqi(), refreshShuttles(),
      refreshIncidents(), refreshSigns()]);
    mapView.fitOnce();
  },
  reset() {
    crowd.clear(); lots.clear(); incidents.clear();
    [...mapView.markers.keys()].forEach((key) => mapView.drop(key));
    mapView.fitted = false;
  },
  relabel() {
    mapView.relabel();
    if (temples.length) { renderCrowd(); renderParking(); renderAqi(); refreshAlerts().catch(() => {}); }
  },
});
