// Sangam console, shared by every screen: session (tokens kept for this tab only), API calls, live socket, nav.
// A screen script calls Console.start({subscriptions(me), onEvent(name, data), refresh(me)}).
"use strict";
const api = "/api/v1";
const $ = (sel) => document.querySelector(sel);
const $$ = (sel) => [...document.querySelectorAll(sel)];
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
  const type = response.headers.get("Content-Type") || "";
  const body = response.status === 204 ? null : type.includes("json") ? await response.json() : await response.blob();
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

function errorText(e) {
  const fields = e.body?.errors ? Object.entries(e.body.errors).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ") : "";
  return fields || e.message;
}

function cell(text, cls) { const td = document.createElement("td"); td.textContent = text ?? ""; if (cls) td.className = cls; return td; }
function row(cells) { const tr = document.createElement("tr"); cells.forEach((c) => tr.append(c)); return tr; }
function el(tag, props = {}, ...children) { const node = Object.assign(document.createElement(tag), props); node.append(...children); return node; }
function button(text, onClick, cls = "small") {
  const b = el("button", { className: cls, textContent: text, type: "button" });
  b.addEventListener("click", async () => { b.disabled = true; try { await onClick(); } finally { b.disabled = false; } });
  return b;
}
function localTime(iso) { return iso ? new Date(iso).toLocaleString("en-IN", { dateStyle: "short", timeStyle: "short" }) : "–"; }
function emptyRow(tbody, columns, text) { tbody.replaceChildren(row([Object.assign(cell(text, "empty"), { colSpan: columns })])); }

async function refreshHealth() {
  try { const h = await call("/health"); $("#health").textContent = `health: ${h.status}`; }
  catch (e) { $("#health").textContent = "health: down"; }
}

const Console = {
  me: null, live: null, screen: null,

  start(screen) { this.screen = screen; this.boot(); },

  allowed(roles) { return this.me && (this.me.role === "admin" || roles.split(" ").includes(this.me.role)); },

  showSession(me) {
    this.me = me;
    $("#login-panel").hidden = Boolean(me);
    $("#dashboard").hidden = !me;
    $("#logout").hidden = !me;
    $("#nav").hidden = !me;
    $("#who").textContent = me ? `${me.full_name} (${me.role})` : "";
    $$("#nav a").forEach((a) => { a.hidden = !this.allowed(a.dataset.roles); });
  },

  startLive() {
    if (this.live || typeof LiveSocket === "undefined") return;
    this.live = new LiveSocket({
      auth: () => ({ token }),
      onEvent: (name, data) => this.screen.onEvent?.(name, data),
      onStatus: (status) => { $("#live").textContent = status; $("#live").className = `pill live-${status}`; },
    });
    (this.screen.subscriptions?.(this.me) || []).forEach((s) => this.live.subscribe(s));
  },

  stopLive() { if (this.live) this.live.close(); this.live = null; $("#live").textContent = ""; $("#live").className = ""; },

  async refresh() {
    await refreshHealth();
    if (!token || !this.me) return;
    try { await this.screen.refresh?.(this.me); this.startLive(); }
    catch (e) { if (e.status === 401) this.logout(); }
  },

  async logout() {
    try { if (token) await call("auth/logout", { method: "POST" }); } catch (e) { /* already invalid */ }
    keepTokens(null, null); this.stopLive(); this.screen.reset?.(); this.showSession(null);
  },

  async enter(me) {
    if (me.role === "user") {  // pilgrims and citizens use the apps; the console is for staff
      await this.logout();
      $("#login-error").textContent = "The console is for staff accounts; pilgrims use the Sangam app.";
      return;
    }
    this.showSession(me);
    await this.refresh();
  },

  async boot() {
    $("#login").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = new FormData(event.target);
      try {
        const result = await call("auth/login", { method: "POST", body: JSON.stringify(Object.fromEntries(form)) });
        keepTokens(result.access_token, result.refresh_token);
        $("#login-error").textContent = "";
        await this.enter(result.user);
      } catch (e) { $("#login-error").textContent = e.message; }
    });
    $("#logout").addEventListener("click", () => this.logout());
    if (token) { try { await this.enter(await call("auth/me")); } catch (e) { keepTokens(null, null); this.showSession(null); } }
    else refreshHealth();
    setInterval(() => this.refresh(), 60000);  // live events keep the page current; this catches anything missed
  },
};
