// Sangam console: the temples screen for operators — darshan slots of a day (open/close, capacity, create), booking
// search by code, phone or name (cancel), gate check-in (camera QR where the browser can, typed token/code always),
// crowd now/history/heat map/predictions (Chart.js), shuttles with ETAs (live on `transport`), resources.
"use strict";
let temples = [];
let place = { temple: null, day: null };
let shownEta = null;                       // shuttle id whose ETA list is open
const RESOURCE_STATUS = ["available", "in_use", "maintenance"];
const CODE = /^[A-Za-z]{2,5}-[A-Za-z0-9]{4,10}$/;  // a booking code such as SOM-7K3Q9X (a token has dots)

const tr = (key) => (typeof t === "function" ? t(`temples.${key}`) : key);
const statusText = (s) => tr(`st_${s}`);
const temple = () => temples.find((x) => x.slug === place.temple);
const zoneOf = () => temple()?.timezone || "Asia/Kolkata";
function clock(iso) { return iso ? new Date(iso).toLocaleTimeString("en-IN", { timeZone: zoneOf(), hour: "2-digit", minute: "2-digit" }) : "–"; }
function dayClock(iso) { return iso ? new Date(iso).toLocaleString("en-IN", { timeZone: zoneOf(), dateStyle: "short", timeStyle: "short" }) : "–"; }
function localDay(tz) { return new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date()); }
function show(selector, text, cls) { const node = $(selector); node.textContent = text || ""; if (cls !== undefined) node.className = cls; }
function fillTable(selector, rows, columns, empty) {
  const tbody = $(`${selector} tbody`);
  if (rows.length) tbody.replaceChildren(...rows); else emptyRow(tbody, columns, empty);
}
async function guarded(errorSelector, work) {   // one panel failing never blanks the others; 401 still logs out
  try { await work(); show(errorSelector, ""); } catch (e) { if (e.status === 401) throw e; show(errorSelector, errorText(e)); }
}

// ---- slots ----
async function patchSlot(id, change) {
  try {
    await call(`slots/${id}`, { method: "PATCH", body: JSON.stringify(change) });
    show("#slots-error", ""); await refreshSlots();
  } catch (e) { show("#slots-error", errorText(e)); }
}

function slotRow(slot) {
  const started = new Date(slot.starts_at) <= new Date();
  const state = started ? "started" : slot.status;
  const actions = cell("");
  if (!started) {
    const next = slot.status === "open" ? "closed" : "open";
    actions.append(button(tr(next === "closed" ? "close" : "open"), () => patchSlot(slot.id, { status: next })));
    const capacity = el("input", { type: "number", min: 0, max: 100000, value: slot.capacity, className: "capacity" });
    capacity.setAttribute("aria-label", `${tr("capacity")} ${clock(slot.starts_at)}`);
    actions.append(capacity, button(tr("set"), () => patchSlot(slot.id, { capacity: Number(capacity.value) })));
  }
  const row_ = row([cell(`${clock(slot.starts_at)}–${clock(slot.ends_at)}`), cell(slot.booked), cell(slot.capacity),
    cell(slot.available), cell(statusText(state), `slot-${state}`), actions]);
  row_.dataset.id = slot.id;
  return row_;
}

async function refreshSlots() {
  const slots = await call(`temples/${place.temple}/slots?date=${place.day}`);
  fillTable("#slots", slots.map(slotRow), 6, tr("no_slots"));
  const open = slots.filter((s) => s.status === "open").length;
  show("#slots-count", `${slots.length} · ${open} ${statusText("open")}`);
}

$("#slots-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  data.slot_minutes = Number(data.slot_minutes); data.capacity = Number(data.capacity);
  try {
    const made = await call(`temples/${place.temple}/slots`, { method: "POST", body: JSON.stringify(data) });
    show("#slots-error", ""); show("#slots-made", `${made.length} ${tr("made")}`);
    await refreshSlots();
  } catch (e) { show("#slots-error", errorText(e)); }
});

// ---- booking search ----
let lastSearch = null;

function bookingRow(b) {
  const who = b.booker ? [b.booker.full_name, b.booker.phone].filter(Boolean).join(" · ") : "–";
  const names = (b.visitors || []).map((v) => v.name).filter(Boolean).join(", ");
  const actions = cell("");
  if (b.status === "confirmed" && new Date(b.slot.starts_at) > new Date()) {
    const cancel = button(tr("cancel"), async () => {
      if (cancel.dataset.armed !== "yes") { cancel.dataset.armed = "yes"; cancel.textContent = tr("confirm_cancel"); return; }
      try { await call(`bookings/${b.code}/cancel`, { method: "POST" }); await runSearch(lastSearch); }
      catch (e) { show("#search-error", errorText(e)); }
    });
    actions.append(cancel);
  }
  const r = row([cell(b.code), cell(who), cell(names ? `${b.party_size} (${names})` : b.party_size),
    cell(`${b.slot.temple} ${dayClock(b.slot.starts_at)}`), cell(statusText(b.status), `booking-${b.status}`),
    cell(b.checked_in_at ? dayClock(b.checked_in_at) : "–"), actions]);
  r.dataset.code = b.code;
  return r;
}

async function runSearch(query) {
  lastSearch = query;
  const found = await call(`bookings?${new URLSearchParams({ ...query, page_size: 50 })}`);
  fillTable("#bookings", found.map(bookingRow), 7, tr("no_bookings"));
  show("#search-error", "");
}

$("#search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const query = {};
  ["code", "phone", "name"].forEach((k) => { const v = String(form.get(k) || "").trim(); if (v) query[k] = v; });
  if (!Object.keys(query).length) { show("#search-error", tr("give_criterion")); return; }
  if (form.get("on_day")) Object.assign(query, { temple: place.temple, date: place.day });
  try { await runSearch(query); } catch (e) { show("#search-error", errorText(e)); }
});

// ---- check-in ----
async function checkIn(text) {
  const ticket = text.trim();
  const body = CODE.test(ticket) ? { code: ticket } : { token: ticket };
  try {
    const b = await call("bookings/check-in", { method: "POST", body: JSON.stringify(body) });
    show("#checkin-result", `${tr("ok_checked_in")}: ${b.code} · ${b.party_size} ${tr("people")} · ${dayClock(b.slot.starts_at)}`, "result-ok");
    if (lastSearch) runSearch(lastSearch).catch(() => {});
    return true;
  } catch (e) {
    const reason = e.body?.error;
    const label = reason === "ticket_used" ? tr("ticket_used") : reason === "invalid_token" ? tr("invalid_token") : tr("refused");
    show("#checkin-result", `${label}: ${errorText(e)}`, reason === "ticket_used" ? "result-used" : "result-bad");
    return false;
  }
}

$("#checkin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = event.target.elements.ticket;
  if (await checkIn(input.value)) input.value = "";
  input.focus();
});

// The camera scanner: the browser's BarcodeDetector on the camera's frames; one reading stops it and checks in.
const scanner = {
  stream: null, timer: null,
  supported: () => "BarcodeDetector" in window && Boolean(navigator.mediaDevices?.getUserMedia),
  async start() {
    try {
      const detector = new BarcodeDetector({ formats: ["qr_code"] });
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      const video = $("#scan-video");
      video.srcObject = this.stream; video.hidden = false; await video.play();
      $("#scan-start").hidden = true; $("#scan-stop").hidden = false;
      this.timer = setInterval(async () => {
        const [code] = await detector.detect(video).catch(() => []);
        if (code?.rawValue) { this.stop(); $("#checkin-form").elements.ticket.value = code.rawValue; checkIn(code.rawValue); }
      }, 300);
    } catch (e) { this.stop(); show("#checkin-result", tr("camera_failed"), "result-bad"); }
  },
  stop() {
    clearInterval(this.timer); this.timer = null;
    this.stream?.getTracks().forEach((track) => track.stop()); this.stream = null;
    $("#scan-video").hidden = true; $("#scan-start").hidden = false; $("#scan-stop").hidden = true;
  },
};
$("#scanner").hidden = !scanner.supported();
$("#scan-start").addEventListener("click", () => scanner.start());
$("#scan-stop").addEventListener("click", () => scanner.stop());

// ---- crowd ----
const charts = {};
function drawChart(id, config) {   // one Chart per canvas, its data replaced on refresh
  if (typeof Chart === "undefined") return;
  if (charts[id]) { charts[id].data = config.data; charts[id].update(); return; }
  charts[id] = new Chart($(`#${id}`), { ...config, options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options } });
}

function zoneRow(z) {
  const stale = isStale(z.at);  // common.js: older than STALE_MINUTES
  const reading = cell(z.at ? `${dayClock(z.at)}${stale ? ` (${tr("stale")})` : ""}` : tr("no_readings"), stale ? "stale" : "");
  const r = row([cell(z.name || z.zone), cell(z.count), cell(z.capacity), cell(`${z.density_pct}%`), cell(z.level, `level-${z.level}`), reading]);
  r.dataset.zone = z.zone;
  if (stale) r.dataset.stale = "yes";
  return r;
}

async function refreshCrowdNow() {
  const now = await call(`temples/${place.temple}/crowd/current`);
  fillTable("#zones", now.zones.map(zoneRow), 6, tr("no_readings"));
  show("#crowd-at", now.overall ? `${now.overall.count ?? ""} / ${now.overall.capacity ?? ""} · ${now.overall.level ?? ""}` : "");
}

async function refreshHistory() {
  const to = new Date(), from = new Date(to.getTime() - 24 * 3600 * 1000);
  const h = await call(`temples/${place.temple}/crowd/history?${new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), bucket: "1h" })}`);
  const stamps = [...new Set(h.zones.flatMap((z) => z.series.map((p) => p.at)))].sort();
  drawChart("history-chart", {
    type: "line",
    data: { labels: stamps.map(clock),
      datasets: h.zones.map((z) => { const at = Object.fromEntries(z.series.map((p) => [p.at, p.count])); return { label: z.zone, data: stamps.map((s) => at[s] ?? null), spanGaps: true }; }) },
    options: { scales: { y: { beginAtZero: true } } },
  });
}

async function refreshPredictions() {
  const p = await call(`temples/${place.temple}/crowd/predictions?hours=6`);
  drawChart("prediction-chart", {
    type: "bar",
    data: { labels: p.hours.map((x) => clock(x.at)),
      datasets: [{ label: tr("expected"), data: p.hours.map((x) => x.expected_count) },
        { label: tr("upto"), type: "line", data: p.hours.map((x) => x.high), fill: false }] },
    options: { scales: { y: { beginAtZero: true } } },
  });
  show("#prediction-method", `${p.hours.map((x) => `${clock(x.at)} ${x.level}`).join(" · ")} — ${p.method.replaceAll("_", " ")}`);
}

function heatClass(pct) { return pct == null ? "h-none" : pct < 30 ? "h-low" : pct < 60 ? "h-moderate" : pct < 80 ? "h-high" : "h-critical"; }

async function refreshHeatmap() {
  const path = `temples/${place.temple}/crowd/heatmap`;
  const [matrix, png] = await Promise.all([call(`${path}?date=${place.day}`), call(`${path}.png?date=${place.day}`)]);
  $("#heatmap-table thead tr").replaceChildren(el("th", { textContent: tr("zone") }), ...matrix.hours.map((h) => el("th", { textContent: String(h) })));
  $("#heatmap-table tbody").replaceChildren(...matrix.zones.map((z) => {
    const r = row([cell(z.zone), ...z.density_pct.map((v) => Object.assign(cell(v == null ? "" : Math.round(v), heatClass(v)), { title: v == null ? "" : `${v}%` }))]);
    r.dataset.zone = z.zone;
    return r;
  }));
  const img = $("#heatmap");
  if (img.src) URL.revokeObjectURL(img.src);
  img.src = URL.createObjectURL(png); img.hidden = false;
}

// ---- shuttles ----
let shuttles = [];
function shuttleRow(s) {
  const actions = cell("");
  actions.append(button(tr("show_eta"), () => showEta(s.id)));
  const r = row([cell(s.name), cell(s.route?.name), cell(`${s.passengers ?? 0} / ${s.capacity}`),
    cell(s.position ? dayClock(s.position.at) : tr("no_position")), actions]);
  r.dataset.id = s.id;
  return r;
}

async function refreshShuttles() {
  shuttles = await call(`temples/${place.temple}/shuttles`);
  fillTable("#shuttles", shuttles.map(shuttleRow), 5, tr("no_shuttles"));
  if (shownEta && shuttles.some((s) => s.id === shownEta)) await showEta(shownEta); else $("#eta").hidden = true;
}

async function showEta(id) {
  shownEta = id;
  const shuttle = shuttles.find((s) => s.id === id);
  $("#eta").hidden = false; show("#eta-of", shuttle?.name || "");
  try {
    const stops = await call(`shuttles/${id}/eta`);
    fillTable("#eta-table", stops.map((s) => row([cell(s.stop), cell(`${Math.max(1, Math.round(s.eta_seconds / 60))} ${tr("minutes")}`),
      cell(`${(s.distance_m / 1000).toFixed(1)} km`)])), 3, "–");
    show("#shuttles-error", "");
  } catch (e) { emptyRow($("#eta-table tbody"), 3, e.body?.errors?.shuttle ? tr("no_position") : errorText(e)); }
}

// ---- resources ----
function resourceRow(res) {
  const select = el("select", { className: "status" });
  select.setAttribute("aria-label", `${tr("status")} ${res.name}`);
  RESOURCE_STATUS.forEach((s) => select.add(new Option(statusText(s), s, false, s === res.status)));
  const state = cell("");
  state.append(select, button(tr("set"), async () => {
    try {
      const saved = await call(`resources/${res.id}`, { method: "PATCH", body: JSON.stringify({ status: select.value }) });
      Object.assign(res, saved); show("#resources-error", `${tr("saved")}: ${saved.name} — ${statusText(saved.status)}`, "note");
    } catch (e) { show("#resources-error", errorText(e), "error"); }
  }));
  const r = row([cell(res.name), cell(res.kind.replace("_", " ")), cell(res.quantity), cell(res.next_maintenance || "–"), state]);
  r.dataset.id = res.id;
  return r;
}

async function refreshResources() {
  const list = await call(`temples/${place.temple}/resources`);
  fillTable("#resources", list.map(resourceRow), 5, tr("no_resources"));
}

// ---- the page ----
async function refreshPlace() {
  await Promise.all([guarded("#slots-error", refreshSlots), guarded("#crowd-error", refreshCrowdNow),
    guarded("#crowd-error", refreshHistory), guarded("#crowd-error", refreshPredictions), guarded("#crowd-error", refreshHeatmap),
    guarded("#shuttles-error", refreshShuttles), guarded("#resources-error", refreshResources)]);
}

function choosePlace() {
  const form = $("#place");
  place = { temple: form.elements.temple.value, day: form.elements.date.value || localDay(zoneOf()) };
  const slotsForm = $("#slots-form").elements;
  if (!slotsForm.date_from.value) { slotsForm.date_from.value = place.day; slotsForm.date_to.value = place.day; }
}

$("#place").addEventListener("change", () => { choosePlace(); refreshPlace(); });
$("#place").addEventListener("submit", (event) => event.preventDefault());

let crowdSoon = null;
function refreshCrowdSoon() { clearTimeout(crowdSoon); crowdSoon = setTimeout(() => refreshCrowdNow().catch(() => {}), 500); }

function startScreen() {
  Console.start({
    subscriptions: () => temples.flatMap((x) => [{ channel: "crowd", temple_id: x.slug }, { channel: "transport", temple_id: x.slug }]),
    onEvent(name, data) {
      if (name === "crowd_update" && data.temple === place.temple) refreshCrowdSoon();
      else if (name === "transport_update" && shuttles.some((s) => s.id === data.id)) refreshShuttles().catch(() => {});
    },
    async refresh() {
      if (!temples.length) {
        temples = await call("temples");
        const select = $("#temple-choice");
        temples.forEach((x) => select.add(new Option(x.name, x.slug)));
        $("#day-choice").value = localDay(temples[0]?.timezone || "Asia/Kolkata");
        choosePlace();
      }
      await refreshPlace();
    },
    reset() { scanner.stop(); ["#slots", "#bookings", "#zones", "#shuttles", "#resources"].forEach((s) => $(`${s} tbody`).replaceChildren()); },
  });
}

startScreen();
