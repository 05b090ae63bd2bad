// Sangam console, shared by every screen: session (tokens kept for this tab only), API calls, live socket, nav,
// roles, the alarm banner, reading times and the language picker.
// A screen script calls Console.start({subscriptions(me), onEvent(name, data), refresh(me), reset(), relabel()}).
"use strict";
const api = "/api/v1";
const $ = (sel) => document.querySelector(sel);
const $$ = (sel) => [...document.querySelectorAll(sel)];
const STALE_MINUTES = 15;  // a figure whose reading is older than this is marked stale
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

async function exchange(path, options = {}) {
  let { response, body } = await send(path, options, token);
  if (response.status === 401 && body?.error === "token_expired" && refreshToken) {
    try { await renew(); ({ response, body } = await send(path, options, token)); } catch (e) { /* falls through */ }
  }
  if (!response.ok) {
    const message = body instanceof Blob ? response.statusText : body?.message || response.statusText;
    throw Object.assign(new Error(message), { body, status: response.status });
  }
  return { response, body };
}

async function call(path, options = {}) { return (await exchange(path, options)).body; }

// Fetch a file with the session's token and hand it to the browser as a download (named as the server says).
async function download(path, fallbackName) {
  const { response, body } = await exchange(path);
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] || fallbackName;
  const link = el("a", { href: URL.createObjectURL(body), download: decodeURIComponent(name) });
  document.body.append(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  return decodeURIComponent(name);
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
function isStale(iso) { return !iso || Date.now() - new Date(iso).getTime() > STALE_MINUTES * 60000; }

// The time of a reading as a <time> element; one older than STALE_MINUTES is marked (and re-checked each minute).
function readingTime(iso) {
  const node = el("time", { className: "reading" });
  if (!iso) { node.textContent = t("time.none"); node.classList.add("stale"); return node; }
  node.dateTime = iso;
  node.textContent = localTime(iso);
  markStale(node);
  return node;
}
function markStale(node) {
  const stale = isStale(node.dateTime);
  node.classList.toggle("stale", stale);
  node.title = stale ? t("time.stale.title", { minutes: STALE_MINUTES }) : "";
  node.dataset.stale = stale ? t("time.stale") : "";
}
function readingCell(iso) { const td = cell(""); td.append(readingTime(iso)); return td; }

async function refreshHealth() {
  try { const h = await call("/health"); $("#health").textContent = t("health", { status: h.status }); }
  catch (e) { $("#health").textContent = t("health.down"); }
}

// The alarm banner: a critical alert or a new SOS, with a repeating beep until acknowledged (or muted).
const Banner = {
  items: new Map(),   // key -> {node, kind}
  audio: null, timer: null,
  muted: localStorage.getItem("sangam.muted") === "1",
  acked: new Set(JSON.parse(localStorage.getItem("sangam.acked-alerts") || "[]")),

  show(key, { kind, text, at, by, acknowledge }) {
    if (this.items.has(key)) return;
    const meta = [t("time.at", { time: localTime(at) }), by ? t("time.by", { who: by }) : ""].filter(Boolean).join(" ");
    const li = el("li", { className: `banner-${kind}` }, el("strong", { textContent: text }), " ",
      el("span", { className: "meta", textContent: meta }), " ");
    li.dataset.key = key;
    li.append(button(acknowledge ? t("banner.ack") : t("banner.dismiss"), async () => {
      if (acknowledge) await acknowledge();
      this.remove(key);
    }, "small ack"));
    this.items.set(key, { node: li, kind });
    $("#banner-items").append(li);
    this.update();
  },

  remove(key) {
    const item = this.items.get(key);
    if (!item) return;
    item.node.remove();
    this.items.delete(key);
    this.update();
  },

  acknowledgeAlert(id) {
    this.acked.add(id);
    localStorage.setItem("sangam.acked-alerts", JSON.stringify([...this.acked].slice(-200)));
  },

  clear() { this.items.forEach((_item, key) => this.remove(key)); },

  update() {
    $("#banner").hidden = this.items.size === 0;
    const sounding = this.items.size > 0 && !this.muted;
    $("#banner").dataset.sound = this.items.size === 0 ? "off" : this.muted ? "muted" : "playing";
    if (sounding && !this.timer) { this.beep(); this.timer = setInterval(() => this.beep(), 2500); }
    if (!sounding && this.timer) { clearInterval(this.timer); this.timer = null; }
    $("#mute").textContent = this.muted ? t("banner.unmute") : t("banner.mute");
    $("#mute").setAttribute("aria-pressed", String(this.muted));
  },

  beep() {
    try {
      this.audio ??= new AudioContext();
      if (this.audio.state === "suspended") this.audio.resume().catch(() => {});
      const osc = this.audio.createOscillator();
      const gain = this.audio.createGain();
      osc.type = "square"; osc.frequency.value = 880; gain.gain.value = 0.08;
      osc.connect(gain).connect(this.audio.destination);
      osc.start(); osc.stop(this.audio.currentTime + 0.35);
    } catch (e) { /* no audio device: the banner still shows */ }
  },

  toggleMute() {
    this.muted = !this.muted;
    localStorage.setItem("sangam.muted", this.muted ? "1" : "0");
    this.update();
  },
};

const Console = {
  me: null, live: null, screen: null, seenIncidents: new Set(),

  start(screen) { this.screen = screen; this.boot(); },

  allowed(roles) {
    if (!this.me) return false;
    const list = Array.isArray(roles) ? roles : roles.split(" ").filter(Boolean);
    return this.me.role === "admin" || list.includes(this.me.role);
  },

  mayOpenScreen() { return this.allowed(document.body.dataset.screenRoles || ""); },

  // Show or hide everything that depends on who is logged in: panels, nav links, role-bound controls.
  showSession(me) {
    this.me = me;
    const staff = Boolean(me) && me.role !== "user";
    $("#login-panel").hidden = Boolean(me);
    $("#refused").hidden = true;
    $("#forbidden").hidden = !staff || this.mayOpenScreen();
    $("#dashboard").hidden = !staff || !this.mayOpenScreen();
    $("#logout").hidden = !me;
    $("#mute").hidden = !staff;
    $("#nav").hidden = !staff;
    $("#who").textContent = me ? `${me.full_name} (${me.role})` : "";
    $$("[data-roles]").forEach((node) => { node.hidden = !this.allowed(node.dataset.roles); });
  },

  refuse() {
    $("#login-panel").hidden = false;
    $("#refused").hidden = false;
    $("#dashboard").hidden = true;
    $("#nav").hidden = true;
  },

  setLive(instance, status) {
    if (instance !== this.live) return;  // a closed socket's last words must not overwrite the new one's status
    $("#live").textContent = t(`live.${status}`);
    $("#live").className = `pill live-${status}`;
    $("#live").dataset.status = status;
  },

  // Subscriptions every screen makes for the banner: alerts for everybody, emergencies for responders.
  bannerSubscriptions() {
    const subs = [{ channel: "alerts" }];
    if (this.allowed("operator safety_officer")) subs.push({ channel: "emergency" });
    return subs;
  },

  startLive() {
    if (this.live || typeof LiveSocket === "undefined") return;
    let live = null;  // the constructor connects at once: its first status is set below
    live = new LiveSocket({
      auth: () => ({ token }),
      onEvent: (name, data) => { if (live === this.live) { this.watch(name, data); this.screen.onEvent?.(name, data); } },
      onStatus: (status) => this.setLive(live, status),
      onRefused: () => { if (live === this.live && refreshToken) renew().catch(() => {}); },  // reconnects renewed
    });
    this.live = live;
    this.setLive(live, "connecting");
    const subs = [...this.bannerSubscriptions(), ...(this.screen.subscriptions?.(this.me) || [])];
    const seen = new Set();
    subs.forEach((s) => { const k = JSON.stringify(s); if (!seen.has(k)) { seen.add(k); live.subscribe(s); } });
  },

  stopLive() {
    const live = this.live;
    this.live = null;
    if (live) live.close();
    $("#live").textContent = ""; $("#live").className = ""; delete $("#live").dataset.status;
  },

  // The banner's share of live events: a critical alert, a new SOS (and its acknowledgement elsewhere).
  watch(name, data) {
    if (name === "alert") this.considerAlert(data);
    if (name === "emergency") (data.snapshot ? data.incidents : [data]).forEach((i) => this.considerIncident(i));
  },

  considerAlert(a) {
    const key = `alert:${a.id}`;
    if (a.severity !== "critical" || a.status !== "active" || Banner.acked.has(a.id)) { Banner.remove(key); return; }
    Banner.show(key, { kind: "alert", text: t("banner.alert", { title: a.title }), at: a.created_at, by: a.created_by_label,
      acknowledge: async () => Banner.acknowledgeAlert(a.id) });
  },

  considerIncident(i) {
    const key = `sos:${i.code}`;
    if (i.source !== "sos" || i.status !== "reported") { Banner.remove(key); return; }
    const mayAck = this.allowed("operator safety_officer");
    Banner.show(key, { kind: "sos", text: t("banner.sos", { code: i.code, title: i.title }), at: i.reported_at,
      by: i.reported_by?.name, acknowledge: mayAck
        ? async () => { await call(`safety/incidents/${i.code}/acknowledge`, { method: "POST", body: "{}" }); } : null });
  },

  async refreshBanner() {
    (await call("alerts?active=true")).forEach((a) => this.considerAlert(a));
  },

  async refresh() {
    await refreshHealth();
    if (!token || !this.me || this.me.role === "user") return;
    try {
      await this.refreshBanner();
      if (this.mayOpenScreen()) await this.screen.refresh?.(this.me);
      this.startLive();
    } catch (e) { if (e.status === 401) this.logout(); else console.error(e); }
  },

  async logout() {
    try { if (token) await call("auth/logout", { method: "POST" }); } catch (e) { /* already invalid */ }
    keepTokens(null, null); this.stopLive(); Banner.clear(); this.screen.reset?.(); this.showSession(null);
  },

  async enter(me) {
    if (me.role === "user") {  // pilgrims and citizens use the apps; the console is for staff
      await this.logout();
      this.refuse();
      return;
    }
    this.showSession(me);
    await this.refresh();
  },

  relabel() {
    translate();
    if (this.live) this.setLive(this.live, $("#live").dataset.status || "connecting");
    Banner.update();
    $$("time.reading").forEach(markStale);
    refreshHealth();
    this.screen.relabel?.();
  },

  async boot() {
    $("#lang").value = language;
    translate();
    Banner.update();
    $("#lang").addEventListener("change", (event) => setLanguage(event.target.value));
    document.addEventListener("sangam:language", () => this.relabel());
    $("#mute").addEventListener("click", () => Banner.toggleMute());
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
    else { this.showSession(null); refreshHealth(); }
    setInterval(() => this.refresh(), 60000);  // live events keep the page current; this catches anything missed
    setInterval(() => $$("time.reading").forEach(markStale), 30000);
  },
};
