// Sangam console: exports and reports — request an export and watch it to its file, request a custom report,
// download the comprehensive report (a PDF), and (admins) read the audit log with filters.
"use strict";
const jobs = new Map();     // export id -> job, this tab's requests
const reports = new Map();  // report id -> report, this tab's requests
let auditPage = 1;

function statusCell(job) { return cell(t(`status.${job.status}`) || job.status, `status-${job.status}`); }

function fileCell(path, name, ready) {
  const td = cell("");
  if (ready) td.append(button(t("download"), () => download(path, name).catch((e) => { td.dataset.error = e.message; })));
  return td;
}

// Ask again every second until the job is done or failed.
async function follow(map, id, path, render) {
  for (;;) {
    const job = await call(`${path}/${id}`);
    map.set(id, { ...map.get(id), ...job, id });
    render();
    if (job.status === "done" || job.status === "failed") return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// --- exports -----------------------------------------------------------------------------------------------------
function renderExports() {
  const list = [...jobs.values()].sort((a, b) => b.id - a.id);
  if (!list.length) { emptyRow($("#exports tbody"), 5, t("exports.none")); return; }
  $("#exports tbody").replaceChildren(...list.map((j) => {
    const tr = row([cell(j.id), cell(`${j.dataset} (${j.format})`), statusCell(j), cell(j.rows ?? (j.error || "")),
      fileCell(j.download_url || `reports/exports/${j.id}/download`, `${j.dataset}.${j.format}`, j.status === "done")]);
    Object.assign(tr.dataset, { id: j.id, status: j.status });
    return tr;
  }));
}

function chosenDataset(select) { return select.selectedOptions[0]; }

function showFilters() {
  const option = chosenDataset($("#export-form select[name=dataset]"));
  const filters = option ? JSON.parse(option.dataset.filters || "{}") : {};
  $("#export-form .filters").replaceChildren(...Object.entries(filters).map(([name, description]) => {
    const type = name.startsWith("date") ? "date" : "text";
    return el("label", {}, el("span", { textContent: description ? `${name} (${description})` : name }), " ", el("input", { name: `filter:${name}`, type }));
  }));
}

// Choose the first dataset this role may export (the others are hidden).
function firstAllowed(select) {
  if (select.selectedOptions[0]?.hidden !== false) {
    const visible = [...select.options].find((o) => !o.hidden);
    if (visible) select.value = visible.value;
  }
}

$("#export-form select[name=dataset]").addEventListener("change", showFilters);
$("#export-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const filters = {};
  for (const [key, value] of form) if (key.startsWith("filter:") && value) filters[key.slice(7)] = value;
  try {
    const job = await call("reports/exports", { method: "POST",
      body: JSON.stringify({ dataset: form.get("dataset"), format: form.get("format"), filters }) });
    $("#export-error").textContent = "";
    jobs.set(job.id, { dataset: form.get("dataset"), format: form.get("format"), ...job });
    renderExports();
    await follow(jobs, job.id, "reports/exports", renderExports);
  } catch (e) { $("#export-error").textContent = errorText(e); }
});

// --- custom reports ----------------------------------------------------------------------------------------------
function renderReports() {
  const list = [...reports.values()].sort((a, b) => b.id - a.id);
  $("#reports tbody").replaceChildren(...list.map((r) => {
    const tr = row([cell(r.id), cell(r.title), statusCell(r), fileCell(r.download_url || `reports/${r.id}/download`,
      `${r.title}.${r.format || "pdf"}`, r.status === "done")]);
    Object.assign(tr.dataset, { id: r.id, status: r.status });
    return tr;
  }));
}

$("#report-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = Object.fromEntries(new FormData(event.target));
  const body = { title: form.title, dataset: form.dataset, format: form.format, filters: {} };
  if (form.group_by) body.group_by = form.group_by;
  if (form.metrics) body.metrics = form.metrics.split(",").map((m) => m.trim()).filter(Boolean);
  if (form.from || form.to) body.period = { from: form.from || undefined, to: form.to || undefined };
  try {
    const report = await call("reports", { method: "POST", body: JSON.stringify(body) });
    $("#report-error").textContent = "";
    reports.set(report.id, { title: form.title, format: form.format, ...report });
    renderReports();
    await follow(reports, report.id, "reports", renderReports);
  } catch (e) { $("#report-error").textContent = errorText(e); }
});

// --- the comprehensive report ------------------------------------------------------------------------------------
$("#comprehensive-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = Object.fromEntries(new FormData(event.target));
  const query = new URLSearchParams({ period: form.period, ...(form.date ? { date: form.date } : {}) });
  const submit = event.target.querySelector("button[type=submit]");
  submit.disabled = true;
  try {
    const name = await download(`reports/comprehensive?${query}`, `sangam-${form.period}.pdf`);
    $("#comprehensive-error").textContent = "";
    $("#comprehensive-result").textContent = t("comprehensive.done", { name });
  } catch (e) { $("#comprehensive-result").textContent = ""; $("#comprehensive-error").textContent = errorText(e); }
  finally { submit.disabled = false; }
});

// --- the audit log (admins) --------------------------------------------------------------------------------------
function auditQuery() {
  const form = Object.fromEntries(new FormData($("#audit-form")));
  const query = new URLSearchParams({ page: auditPage, page_size: 20 });
  for (const key of ["actor_kind", "entity", "action"]) if (form[key]) query.set(key, form[key].trim());
  if (form.from) query.set("from", new Date(`${form.from}T00:00`).toISOString());
  if (form.to) query.set("to", new Date(`${form.to}T23:59:59`).toISOString());
  return query;
}

function changesText(changes) {
  if (!changes) return "";
  return Object.entries(changes).map(([k, v]) => (Array.isArray(v) ? `${k}: ${v[0] ?? "–"} → ${v[1] ?? "–"}` : `${k}: ${JSON.stringify(v)}`)).join("; ");
}

async function refreshAudit(append = false) {
  if (!Console.allowed("admin")) return;
  const { response, body } = await exchange(`audit?${auditQuery()}`);
  const rows = body.map((a) => {
    const tr = row([cell(localTime(a.at)), cell(a.actor_label || a.actor_kind), cell(a.action), cell(`${a.entity}${a.entity_id ? " #" + a.entity_id : ""}`),
      cell(a.event), cell(changesText(a.changes))]);
    tr.dataset.entity = a.entity; tr.dataset.action = a.action;
    return tr;
  });
  if (append) $("#audit tbody").append(...rows);
  else if (rows.length) $("#audit tbody").replaceChildren(...rows);
  else emptyRow($("#audit tbody"), 6, t("audit.none"));
  const pagination = JSON.parse(response.headers.get("X-Pagination") || "{}");
  $("#audit-more").hidden = !(pagination.next_page || (!pagination.total_pages && body.length === 20));
}

$("#audit-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  auditPage = 1;
  try { await refreshAudit(); $("#audit-error").textContent = ""; } catch (e) { $("#audit-error").textContent = errorText(e); }
});
$("#audit-more").addEventListener("click", async () => {
  auditPage += 1;
  try { await refreshAudit(true); } catch (e) { auditPage -= 1; $("#audit-error").textContent = errorText(e); }
});

Console.start({
  async refresh() {
    firstAllowed($("#export-form select[name=dataset]"));
    firstAllowed($("#report-form select[name=dataset]"));
    if (!$("#export-form .filters").children.length) showFilters();
    renderExports();
    if (auditPage === 1) await refreshAudit();
  },
  reset() { jobs.clear(); reports.clear(); auditPage = 1; $("#audit tbody").replaceChildren(); },
  relabel() { renderExports(); renderReports(); },
});
