// Sangam console: the city screen — AQI per zone, congestion, bins to collect and their routes, feeder load.
// REST gives the state; live `city` events (traffic_update, environment_alert, emergency_alert, system_update)
// say which module moved, and that module is read again.
"use strict";
// the town's depot and the zone whose bins it collects
const DEPOTS = [["Veraval bus stand yard (Somnath)", 20.9077, 70.3672, "somnath"],
  ["Dwarka station yard", 22.2395, 68.9838, "dwarka"], ["Ambaji bus stand yard", 24.3340, 72.8440, "ambaji"],
  ["Champaner gate yard (Pavagadh)", 22.4856, 73.5361, "pavagadh"]];
const DARK = new Set(["#FF0000", "#C00000"]);  // CPCB's Very Poor and Severe: white text reads better
let binNames = {};
// the console's level colours (console.css): low, moderate, high, critical
const TRAFFIC_CLASS = { free: "level-low", moderate: "level-moderate", heavy: "level-high", jammed: "level-critical" };
const FEEDER_CLASS = { normal: "level-low", high: "level-high", overloaded: "level-critical", unknown: "" };
const events = [];

function withData(node, data) { Object.assign(node.dataset, data); return node; }

function aqiCell(z) {
  const td = cell(z.category || "insufficient data", "aqi-category");
  if (z.colour) { td.style.background = z.colour; td.dataset.colour = z.colour; }
  if (DARK.has(z.colour)) td.style.color = "#fff";
  return td;
}

async function refreshAir() {
  const zones = (await call("city/environment/aqi")).zones;
  if (!zones.length) { emptyRow($("#aqi tbody"), 6, "No air sensors yet."); return; }
  $("#aqi tbody").replaceChildren(...zones.map((z) => withData(row([cell(z.zone), cell(z.aqi ?? "–"), aqiCell(z),
    cell(z.dominant_pollutant ?? "–"), cell(z.health_advice ?? ""), readingCell(z.at)]), { zone: z.zone })));
}

async function refreshTraffic() {
  const [state, incidents] = await Promise.all([call("city/traffic/congestion"), call("city/traffic/incidents?status=active")]);
  const s = state.summary;
  $("#congestion-summary").textContent = `${s.jammed} jammed · ${s.heavy} heavy · ${s.moderate} moderate · ${s.free} free`;
  const measured = state.segments.filter((x) => x.level !== "unknown");
  if (!measured.length) emptyRow($("#congestion tbody"), 4, "No traffic readings yet.");
  else $("#congestion tbody").replaceChildren(...measured.map((x) => withData(row([cell(x.name), cell(x.zone),
    cell(`${x.speed_kmh.toFixed(0)} / ${x.free_flow_kmh} km/h`), cell(x.level, TRAFFIC_CLASS[x.level])]), { key: x.key, level: x.level })));
  $("#incidents").replaceChildren(...(incidents.length ? incidents.map((i) => el("li", { className: `sev-${i.severity}`,
    textContent: `[${i.severity}] ${i.kind}: ${i.description || "no details"} (${localTime(i.reported_at)})` }))
    : [el("li", { className: "empty", textContent: "No open incidents." })]));
}

async function refreshWaste() {
  const bins = await call("city/waste/bins?min_fill_pct=75&page_size=100");
  binNames = { ...binNames, ...Object.fromEntries(bins.map((b) => [b.id, b.name])) };
  $("#bins-summary").textContent = `${bins.length} to collect (75 % and over)`;
  if (!bins.length) emptyRow($("#bins tbody"), 4, "No bin needs collecting.");
  else $("#bins tbody").replaceChildren(...bins.map((b) => withData(row([cell(b.name), cell(b.zone),
    cell(`${b.fill_pct.toFixed(0)}%`, b.fill_pct >= 90 ? "level-critical" : "level-high"), cell(`${b.capacity_l} l`)]),
    { bin: b.id })));
  try { showPlan(await call("city/waste/routes/latest")); }
  catch (e) { if (e.status === 404) emptyRow($("#routes tbody"), 5, "No routes planned yet."); else throw e; }
}

function showPlan(plan) {
  if (!plan.routes.length) { emptyRow($("#routes tbody"), 5, "No bin above the threshold: nothing to collect."); return; }
  $("#routes tbody").replaceChildren(...plan.routes.map((r) => row([cell(r.vehicle), cell(r.trip),
    cell(r.stops.map((id) => binNames[id] || `bin ${id}`).join(" → ")), cell((r.distance_m / 1000).toFixed(1)), cell(r.load_l)])));
}

async function refreshEnergy() {
  const grid = await call("city/energy/grids");
  $("#grid-summary").textContent = grid.load_pct === null ? "" : `${Math.round(grid.total_load_kw)} kW, ${grid.load_pct}% of capacity`;
  if (!grid.feeders.length) emptyRow($("#feeders tbody"), 5, "No feeders yet.");
  else $("#feeders tbody").replaceChildren(...grid.feeders.map((f) => withData(row([cell(f.name), cell(f.load_kw === null ? "–" : Math.round(f.load_kw)),
    cell(Math.round(f.capacity_kw)), cell(f.load_pct === null ? "–" : `${f.load_pct}%`, FEEDER_CLASS[f.status]), cell(f.solar_kw === null ? "–" : Math.round(f.solar_kw))]),
    { feeder: f.key, status: f.status })));
  $("#recommendations").replaceChildren(...(grid.recommendations.length ? grid.recommendations.map((r) => el("li", {
    textContent: r.to_feeder ? `Shift ${r.shift_kw} kW from ${r.from_feeder} to ${r.to_feeder}: ${r.reason}.`
      : `Defer or shed ${r.shift_kw} kW on ${r.from_feeder}: ${r.reason}.` }))
    : [el("li", { className: "empty", textContent: "Every feeder is below 80 %." })]));
}

function logEvent(name, data) {
  const what = data.category ? `${data.zone}: ${data.previous_category || "–"} → ${data.category} (AQI ${data.aqi})`
    : data.message || (data.segments ? data.segments.map((s) => `${s.name} ${s.level}`).join(", ") : data.kind || "");
  events.unshift(el("li", { className: `sev-${data.severity}`, textContent: `${new Date().toLocaleTimeString("en-IN")} ${name} [${data.module}] ${what}` }));
  $("#city-events").replaceChildren(...events.slice(0, 12));
}

// Traffic, waste and energy are the operators' (a safety officer sees air quality and the live events).
const operatorOnly = (refresh) => () => (Console.allowed("operator") ? refresh() : Promise.resolve());
const MODULE_REFRESH = { environment: refreshAir, traffic: operatorOnly(refreshTraffic), waste: operatorOnly(refreshWaste),
  energy: operatorOnly(refreshEnergy), emergency: operatorOnly(refreshTraffic) };

$("#route-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = Object.fromEntries(new FormData(event.target));
  const [, lat, lng, zone] = DEPOTS[Number(form.depot)];
  try {
    const plan = await call("city/waste/routes", { method: "POST", body: JSON.stringify({ depot: { lat, lng }, zone,
      vehicles: Number(form.vehicles), vehicle_capacity_l: Number(form.vehicle_capacity_l) }) });
    $("#route-error").textContent = ""; showPlan(plan);
  } catch (e) { $("#route-error").textContent = errorText(e); }
});
DEPOTS.forEach(([name], i) => $("#route-form select[name=depot]").add(new Option(name, i)));

Console.start({
  subscriptions: () => [{ channel: "city" }],
  onEvent(name, data) {
    if (!["traffic_update", "environment_alert", "emergency_alert", "system_update"].includes(name) || data.snapshot) return;
    logEvent(name, data);
    (MODULE_REFRESH[data.module] || (() => Promise.resolve()))().catch(() => {});
  },
  async refresh() {
    await Promise.all([refreshAir(), MODULE_REFRESH.traffic(), MODULE_REFRESH.waste(), MODULE_REFRESH.energy()]);
  },
  reset() { events.length = 0; },
});
