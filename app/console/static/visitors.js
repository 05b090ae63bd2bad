// Sangam console: the reception desk — scan a pass, today's expected visitors, who is on site; live over Socket.IO.
"use strict";

function hhmm(iso) { return iso ? new Date(iso).toLocaleTimeString("en-IN", { hour: "2-digit", minute: "2-digit" }) : "–"; }
function deskError(text) { $("#desk-error").textContent = text || ""; }

async function step(code, action) {  // action: "check-in" | "check-out"
  try {
    const visit = await call(`/api/v1/visits/${encodeURIComponent(code)}/${action}`, { method: "POST" });
    deskError("");
    $("#validate-result").textContent = `${visit.visitor.name}: ${visit.status.replace("_", " ")}.`;
    await refreshDesk();
  } catch (e) { deskError(`${code}: ${errorText(e)}`); }
}

function expectedRow(v) {
  const tr = row([cell(hhmm(v.expected_at)), cell(v.visitor.name), cell(v.visitor.phone), cell(v.host.name),
    cell(v.purpose), cell(`${hhmm(v.valid_from)}–${hhmm(v.valid_until)}`)]);
  const td = cell("");
  td.append(button("Check in", () => step(v.code, "check-in")));
  tr.append(td);
  tr.dataset.code = v.code;
  return tr;
}

function onSiteRow(v) {
  const tr = row([cell(hhmm(v.checked_in_at)), cell(v.visitor.name), cell(v.host.name), cell(v.host.phone),
    cell(v.overstaying ? `${hhmm(v.valid_until)} (overstaying)` : hhmm(v.valid_until), v.overstaying ? "sev-critical" : "")]);
  const td = cell("");
  td.append(button("Check out", () => step(v.code, "check-out")));
  tr.append(td);
  tr.dataset.code = v.code;
  return tr;
}

function fill(selector, visits, render, columns, empty) {
  const tbody = $(`${selector} tbody`);
  if (!visits.length) emptyRow(tbody, columns, empty);
  else tbody.replaceChildren(...visits.map(render));
}

async function refreshDesk() {
  const [expected, inside] = await Promise.all([call("visitors/expected-today"), call("visitors/on-site")]);
  fill("#expected", expected, expectedRow, 7, "Nobody else is expected today.");
  fill("#on-site", inside, onSiteRow, 6, "No visitors on site.");
  $("#expected-count").textContent = `${expected.length} still to come`;
  $("#on-site-count").textContent = `${inside.length} inside (fire roll-call)`;
}

$("#validate-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = new FormData(event.target).get("token").trim();
  try {
    const visit = await call("visitors/visits/validate", { method: "POST", body: JSON.stringify({ token }) });
    deskError("");
    const result = $("#validate-result");
    result.textContent = `Valid: ${visit.visitor.name} to see ${visit.host.name} (${visit.purpose}), ${visit.status.replace("_", " ")}. `;
    if (visit.status === "expected") result.append(button("Check in", () => step(visit.code, "check-in"), ""));
    event.target.reset();
  } catch (e) {
    $("#validate-result").textContent = "";
    const reason = e.body?.errors?.reason?.[0];
    deskError(reason ? `Refused (${reason.replaceAll("_", " ")}): ${e.message}` : errorText(e));
  }
});

Console.start({
  subscriptions: () => [{ channel: "visitors" }],
  onEvent(name) { if (name === "visit_update") refreshDesk().catch(() => {}); },
  refresh: refreshDesk,
  reset() { $("#expected tbody").replaceChildren(); $("#on-site tbody").replaceChildren(); deskError(""); },
});
