// Sangam console: the festival signs screen (CA-1 … CA-6). Every sign's state, battery and what it shows,
// live over the `signs` channel; send a message from a template; activate, approve and cancel overrides;
// moderate attendee submissions.
"use strict";
// This screen's few styles, as a constructed sheet: the console's CSP allows no inline <style>.
const signsSheet = new CSSStyleSheet();
signsSheet.replaceSync(`.status-online { color: #1b7a36; font-weight: bold; } .status-offline { color: #b00020; }
  #overrides li, #submissions li { margin-bottom: .35rem; } #activity { font-size: .85rem; opacity: .85; }`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, signsSheet];
const signs = new Map();      // id -> sign resource, kept current by live events
let templates = [];

function percent(v) { return v === null || v === undefined ? "–" : `${v}%`; }

function showing(s) {
  const sh = s.showing || {};
  if (sh.override) return `⚠ ${sh.override.title}: ${sh.override.text}`;
  if (sh.message) return `${sh.message.text}${sh.messages > 1 ? ` (+${sh.messages - 1})` : ""}`;
  return "–";
}

async function simulate(s) {
  if (!confirm(`Give "${s.name}" a new key and open the simulator? A real sign using the old key is disconnected.`)) return;
  const made = await call(`city/signs/${s.id}/key`, { method: "POST" });
  window.open(`/console/sign-simulator?key=${encodeURIComponent(made.key)}`, "_blank");
}

function renderSigns() {
  const list = [...signs.values()].sort((a, b) => a.zone.localeCompare(b.zone) || a.name.localeCompare(b.name));
  const online = list.filter((s) => s.status === "online").length;
  $("#signs-summary").textContent = `${online} of ${list.length} online`;
  if (!list.length) { emptyRow($("#signs tbody"), 10, "No signs yet."); return; }
  $("#signs tbody").replaceChildren(...list.map((s) => {
    const tr = row([cell(s.name), cell(s.zone), cell(s.group || "–"), cell(s.status, `status-${s.status}`),
      cell(percent(s.battery), s.battery !== null && s.battery < 20 ? "level-critical" : ""), cell(percent(s.signal_strength)),
      cell(s.crowd_count ?? "–"), cell(localTime(s.last_seen_at)), cell(showing(s), s.showing?.override ? "sev-critical" : "")]);
    const actions = cell("");
    actions.append(button("Status", () => call(`city/signs/${s.id}/request-status`, { method: "POST" })),
                   button("Simulate", () => simulate(s)));
    tr.append(actions);
    tr.dataset.id = s.id;
    return tr;
  }));
}

function keepSign(s) { signs.set(s.id, { ...(signs.get(s.id) || {}), ...s }); }

async function refreshSigns() {
  signs.clear();
  for (let page = 1; ; page += 1) {
    const batch = await call(`city/signs?page=${page}&page_size=100`);
    batch.forEach(keepSign);
    if (batch.length < 100) break;
  }
  renderSigns();
}

function paramInputs(form) {
  const tpl = templates.find((t) => t.slug === form.template.value);
  form.querySelectorAll(".free").forEach((label) => { label.hidden = Boolean(tpl); });
  form.querySelector(".params").replaceChildren(...(tpl ? tpl.placeholders : []).map((name) =>
    el("label", { textContent: `${name} ` }, el("input", { name: `param:${name}`, required: true }))));
}

function content(form) {
  const data = Object.fromEntries(new FormData(form));
  const body = {};
  if (data.template) {
    body.template = data.template;
    body.params = Object.fromEntries(Object.entries(data).filter(([k]) => k.startsWith("param:")).map(([k, v]) => [k.slice(6), v]));
  } else {
    body.text = data.text;
    if (data.title) body.title = data.title;
  }
  const which = (data.which || "").split(",").map((v) => v.trim()).filter(Boolean);
  body.targets = data.target === "all" ? { all: true } : { [data.target]: data.target === "sign_ids" ? which.map(Number) : which };
  if (data.minutes) body.expires_at = new Date(Date.now() + Number(data.minutes) * 60000).toISOString();
  if (data.severity) body.severity = data.severity;
  return body;
}

function setupForm(selector, path, errorSelector) {
  const form = $(selector);
  form.template.addEventListener("change", () => paramInputs(form));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await call(path, { method: "POST", body: JSON.stringify(content(form)) });
      $(errorSelector).textContent = ""; form.reset(); paramInputs(form);
      refreshOverrides();
    } catch (e) { $(errorSelector).textContent = errorText(e); }
  });
}

async function refreshTemplates() {
  templates = await call("city/signs/templates");
  for (const form of [$("#message-form"), $("#override-form")]) {
    if (form.template.options.length > 1) continue;
    templates.forEach((t) => form.template.add(new Option(`${t.title} (${t.category})`, t.slug)));
  }
}

async function refreshOverrides() {
  const inForce = [...await call("city/signs/overrides?status=proposed"), ...await call("city/signs/overrides?status=active")];
  if (!inForce.length) { $("#overrides").replaceChildren(el("li", { className: "empty", textContent: "No override in force." })); return; }
  $("#overrides").replaceChildren(...inForce.map((o) => {
    const li = el("li", { className: `sev-${o.severity}` });
    li.dataset.id = o.id;
    li.append(`[${o.status}] ${o.title}: ${o.text} — ${o.acknowledged}/${o.signs} acknowledged${o.flagged ? `, ${o.flagged} late` : ""} `);
    if (o.status === "proposed") li.append(button("Approve", async () => { await call(`city/signs/overrides/${o.id}/approve`, { method: "POST" }); refreshOverrides(); }));
    li.append(button(o.status === "proposed" ? "Reject" : "Cancel", async () => { await call(`city/signs/overrides/${o.id}/cancel`, { method: "POST" }); refreshOverrides(); }));
    return li;
  }));
}

async function moderate(s, verdict) {
  try {
    const body = verdict === "approve" ? {} : { reason: prompt("Why is it rejected?") || "Not suitable for the signs" };
    await call(`city/signs/submissions/${s.id}/${verdict}`, { method: "POST", body: JSON.stringify(body) });
    $("#submission-error").textContent = "";
  } catch (e) { $("#submission-error").textContent = errorText(e); }
  refreshSubmissions();
}

async function refreshSubmissions() {
  const pending = await call("city/signs/submissions?status=pending");
  if (!pending.length) { $("#submissions").replaceChildren(el("li", { className: "empty", textContent: "Nothing to moderate." })); return; }
  $("#submissions").replaceChildren(...pending.map((s) => {
    const li = el("li", { textContent: `[${s.kind}] ${s.text}${s.zone ? ` — ${s.zone}` : ""}${s.contact ? ` (${s.contact})` : ""} ` });
    li.dataset.id = s.id;
    li.append(button("Approve", () => moderate(s, "approve")), button("Reject", () => moderate(s, "reject")));
    return li;
  }));
}

function activity(text) {
  $("#activity").prepend(el("li", { textContent: `${new Date().toLocaleTimeString()} ${text}` }));
  while ($("#activity").children.length > 15) $("#activity").lastChild.remove();
}

let contentTimer = null;
function refreshContentSoon() {  // what signs show changed: one refetch for a burst of events
  clearTimeout(contentTimer);
  contentTimer = setTimeout(() => { refreshSigns().catch(() => {}); refreshOverrides().catch(() => {}); }, 400);
}

setupForm("#message-form", "city/signs/messages", "#message-error");
setupForm("#override-form", "city/signs/overrides", "#override-error");

Console.start({
  subscriptions: () => [{ channel: "signs" }],
  onEvent(name, data) {
    if (name === "sign_update" && data.snapshot) { data.signs.forEach(keepSign); renderSigns(); return; }
    if (["sign_update", "sign_connected", "sign_disconnected", "sign_offline"].includes(name)) {
      keepSign(data); renderSigns();
      if (name !== "sign_update") activity(`${data.name}: ${name.replace("sign_", "")}`);
    } else if (name === "new_submission") { activity(`new ${data.kind} submission`); refreshSubmissions().catch(() => {}); }
    else if (name === "message_ack") { activity(`${data.sign.name} acknowledged ${data.override_id ? "override " + data.override_id : "message " + data.message_id}`); refreshContentSoon(); }
    else if (name === "override_unacknowledged") { activity(`⚠ ${data.sign.name} has not acknowledged override ${data.override_id}`); refreshContentSoon(); }
    else if (name.startsWith("override_") || name === "message_sent" || name.startsWith("submission_")) {
      activity(name.replace("_", " ")); refreshContentSoon();
    }
  },
  async refresh() { await Promise.all([refreshTemplates(), refreshSigns(), refreshOverrides(), refreshSubmissions()]); },
  reset() { signs.clear(); },
});
