// A sign in a browser tab (/console/sign-simulator?key=…): it behaves like a real festival sign.
// It connects to the Socket.IO namespace /signs with its device key (Engine.IO 4 over WebSocket), shows
// the override in force or rotates its messages, acknowledges everything it is sent, heartbeats every few
// seconds (battery, signal, crowd), answers ping/request_status at once and reports impressions.
// Packets on /signs: "40/signs,{auth}" join, "42/signs,<id>[name,data]" event, "43/signs,<id>[answer]" ack,
// "44/signs,{…}" refused. Reconnects with back-off, except when the key is refused.
"use strict";

// The page's styles, as a constructed sheet: the console's CSP allows no inline <style>.
const simulatorSheet = new CSSStyleSheet();
simulatorSheet.replaceSync(`
  body { margin: 0; font-family: system-ui, sans-serif; background: #111; color: #eee; }
  header { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #222; font-size: .9rem; }
  #status { padding: .1rem .6rem; border-radius: 1rem; background: #555; }
  #status[data-status="online"] { background: #1b7f3a; }
  #status[data-status="refused"], #status[data-status="offline"] { background: #a32020; }
  #screen { margin: 1rem; min-height: 55vh; border-radius: .6rem; padding: 2rem; display: flex; flex-direction: column;
  justify-content: center; background: #000; border: .4rem solid #333; }
  #screen[data-kind="override"] { background: #7a5a00; border-color: #ffcc00; }
  #screen[data-kind="override"][data-severity="critical"] { background: #8b0000; border-color: #ff4d4d; }
  #screen[data-kind="override"][data-severity="info"] { background: #0b3d6b; border-color: #4da3ff; }
  #title { font-size: 2rem; margin: 0 0 1rem; text-transform: uppercase; letter-spacing: .05em; }
  #text { font-size: 3rem; line-height: 1.25; margin: 0; }
  #lang { font-size: .9rem; opacity: .7; }
  #log { font: .8rem ui-monospace, monospace; margin: 0 1rem; padding: 0; list-style: none; opacity: .8; }
`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, simulatorSheet];

const NS = "/signs";
const params = new URLSearchParams(location.search);
const KEY = params.get("key") || "";
const EVERY = Math.max(1, Number(params.get("every")) || 5) * 1000;   // heartbeat interval
const ROTATE = 6000;                                                   // time per message or language
const $ = (sel) => document.querySelector(sel);

class SignSocket {
  constructor(key, onEvent, onStatus) {
    Object.assign(this, { key, onEvent, onStatus, acks: new Map(), nextAck: 1, delay: 1000, refused: false });
    this.connect();
  }

  connect() {
    if (this.refused) return;
    this.onStatus("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.ws = new WebSocket(`${scheme}://${location.host}/socket.io/?EIO=4&transport=websocket`);
    this.ws.onmessage = (message) => this.receive(String(message.data));
    this.ws.onclose = () => {
      this.joined = false;
      this.acks.forEach((done) => done(null));
      this.acks.clear();
      if (this.refused) return;
      this.onStatus("offline");
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 30000);
    };
  }

  receive(packet) {
    if (packet[0] === "0") { this.ws.send(`40${NS},${JSON.stringify({ device_key: this.key })}`); return; }
    if (packet[0] === "2") { this.ws.send("3"); return; }
    if (packet[0] !== "4" || !packet.slice(2).startsWith(`${NS},`)) return;
    const kind = packet[1];
    const body = packet.slice(2 + NS.length + 1);
    if (kind === "0") { this.joined = true; this.delay = 1000; this.onStatus("online"); }
    else if (kind === "4") { this.refused = true; this.onStatus("refused"); this.ws.close(); }
    else if (kind === "1") { this.ws.close(); }                                    // server closed the namespace
    else if (kind === "2") { const [name, data] = JSON.parse(body.slice(body.indexOf("["))); this.onEvent(name, data); }
    else if (kind === "3") {
      const id = Number(body.slice(0, body.indexOf("[")));
      const done = this.acks.get(id);
      this.acks.delete(id);
      if (done) done(JSON.parse(body.slice(body.indexOf("[")))[0]);
    }
  }

  emit(name, data) {
    if (!this.joined) return Promise.resolve(null);
    return new Promise((resolve) => {
      const id = this.nextAck++;
      this.acks.set(id, resolve);
      this.ws.send(`42${NS},${id}${JSON.stringify([name, data])}`);
    });
  }
}

// --- what the sign shows ----------------------------------------------------------------------------
const state = { override: null, messages: new Map(), turn: 0, shown: 0 };
const sensors = { battery: 100, signal: 80, density: 30 };

function log(text) {
  const li = document.createElement("li");
  li.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  $("#log").prepend(li);
  while ($("#log").children.length > 30) $("#log").lastChild.remove();
}

function textsOf(item) { return Object.entries(item.texts || { en: item.text }); }

function keepMessage(message) {
  state.messages.set(message.id, message);
  if (message.expires_in !== null && message.expires_in !== undefined) {
    setTimeout(() => { state.messages.delete(message.id); render(); }, message.expires_in * 1000);
  }
}

function current() {
  if (state.override) return { kind: "override", item: state.override };
  const list = [...state.messages.values()].sort((a, b) => b.priority - a.priority);
  if (!list.length) return { kind: "idle", item: null };
  return { kind: "message", item: list[state.turn % list.length] };
}

function render() {
  const { kind, item } = current();
  const screen = $("#screen");
  screen.dataset.kind = kind;
  screen.dataset.severity = item?.severity || "";
  screen.dataset.id = item?.id ?? "";
  if (!item) { $("#title").textContent = "Sangam"; $("#text").textContent = "Welcome"; $("#lang").textContent = ""; return; }
  const texts = textsOf(item);
  const [lang, text] = texts[state.turn % texts.length];
  $("#title").textContent = item.title;
  $("#text").textContent = text;
  $("#lang").textContent = texts.length > 1 ? lang : "";
  $("#count").textContent = `${state.messages.size} message(s)${state.override ? " · override" : ""}`;
  state.shown += 1;
}

async function acknowledge(field, id) {
  const answer = await sign.emit("ack", { [field]: id });
  log(answer?.ok ? `acknowledged ${field.replace("_id", "")} ${id}` : `ack failed: ${answer?.message || "offline"}`);
}

function onEvent(name, data) {
  if (name === "new_message") { keepMessage(data); log(`message ${data.id}: ${data.text}`); acknowledge("message_id", data.id); }
  else if (name === "override") { state.override = data; log(`OVERRIDE ${data.id}: ${data.text}`); acknowledge("override_id", data.id); }
  else if (name === "override_cancelled") {
    log(`override ${data.override_id} ended (${data.reason})`);
    state.override = data.showing.override;
    state.messages.clear();
    data.showing.messages.forEach(keepMessage);
  } else if (name === "ping" || name === "request_status") { log(name); heartbeat(); }
  render();
}

async function heartbeat() {
  if (!sign) return;
  sensors.battery = Math.max(5, sensors.battery - 0.05);
  sensors.signal = Math.min(100, Math.max(20, sensors.signal + (Math.random() - 0.5) * 6));
  sensors.density = Math.min(100, Math.max(0, sensors.density + (Math.random() - 0.5) * 8));
  const figures = { battery: Math.round(sensors.battery), signal_strength: Math.round(sensors.signal),
                    crowd_density: Math.round(sensors.density * 10) / 10, crowd_count: Math.round(sensors.density * 12) };
  const answer = await sign.emit("heartbeat", figures);
  $("#figures").textContent = `battery ${figures.battery}% · signal ${figures.signal_strength}% · crowd ${figures.crowd_count}`;
  if (answer && !answer.ok) log(`heartbeat refused: ${answer.message}`);
}

function onStatus(status) {
  $("#status").textContent = status;
  $("#status").dataset.status = status;
  if (status === "refused") log("the device key was refused");
  if (status === "online") { log("connected"); heartbeat(); }
}

const sign = KEY ? new SignSocket(KEY, onEvent, onStatus) : null;
if (!sign) onStatus("no key: open this page with ?key=<the sign's device key>");
setInterval(() => { state.turn += 1; render(); }, ROTATE);
setInterval(heartbeat, EVERY);
setInterval(() => { if (state.shown) { sign?.emit("metrics", { impressions: state.shown }); state.shown = 0; } }, 30000);
render();
