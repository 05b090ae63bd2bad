// A small Socket.IO client for the console (Engine.IO protocol 4, WebSocket transport, default namespace).
// Packets: engine "0" open, "2" ping / "3" pong, "4" message; socket "0" connect, "2" event, "3" ack, "4" error.
// It reconnects with back-off and re-subscribes, so a restarted server or a dropped network heals by itself.
"use strict";

class LiveSocket {
  constructor({ auth, onEvent, onStatus, onRefused }) {
    this.auth = auth;            // () => ({token}) read at each (re)connect, so a renewed token is used
    this.onEvent = onEvent;      // (name, data) => void
    this.onStatus = onStatus;    // ("connecting" | "live" | "offline") => void
    this.onRefused = onRefused;  // () => void: the server refused the connection (an expired token: renew it)
    this.subscriptions = [];     // re-sent after every reconnect
    this.acks = new Map();
    this.nextAck = 1;
    this.delay = 1000;
    this.closed = false;
    this.connect();
  }

  connect() {
    if (this.closed) return;
    this.onStatus("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/socket.io/?EIO=4&transport=websocket`);
    this.ws = ws;
    ws.onmessage = (message) => this.receive(String(message.data));
    ws.onclose = () => {
      if (ws !== this.ws) return;  // an older connection of this client: its end changes nothing
      this.ready = false;
      if (this.closed) return;     // closed on purpose (logout): report nothing, the console owns the badge now
      this.onStatus("offline");
      if (!this.closed) setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 30000);
    };
  }

  receive(packet) {
    const engine = packet[0];
    if (engine === "0") { this.ws.send(`40${JSON.stringify(this.auth())}`); return; }   // open -> join namespace
    if (engine === "2") { this.ws.send("3"); return; }                                  // ping -> pong
    if (engine !== "4") return;
    const kind = packet[1];
    const body = packet.slice(2);
    if (kind === "0") {                                                                   // namespace joined
      this.ready = true; this.delay = 1000;
      const ws = this.ws;  // "live" once every room is joined: from then on none of their events is missed
      Promise.all(this.subscriptions.map((s) => this.emitWithAck("subscribe", s)))
        .then(() => { if (ws === this.ws && this.ready && !this.closed) this.onStatus("live"); });
    } else if (kind === "4" || kind === "1") {                                            // refused or dropped
      if (kind === "4") this.onRefused?.();
      this.ws.close();
    } else if (kind === "2") {                                                            // event
      const [name, data] = JSON.parse(body.slice(body.indexOf("[")));
      this.onEvent(name, data);
    } else if (kind === "3") {                                                            // ack
      const id = Number(body.slice(0, body.indexOf("[")));
      const done = this.acks.get(id);
      this.acks.delete(id);
      if (done) done(JSON.parse(body.slice(body.indexOf("[")))[0]);
    }
  }

  emitWithAck(name, data) {
    return new Promise((resolve) => {
      const id = this.nextAck++;
      this.acks.set(id, resolve);
      this.ws.send(`42${id}${JSON.stringify([name, data])}`);
    });
  }

  subscribe(scope) {
    this.subscriptions.push(scope);
    return this.ready ? this.emitWithAck("subscribe", scope) : Promise.resolve(null);
  }

  close() { this.closed = true; if (this.ws) this.ws.close(); }
}
