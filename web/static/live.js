// Live updates: the inbox is read on open, then Server-Sent Events bring new messages and edits without a reload.
// EventSource reconnects by itself with Last-Event-ID; when the server closed the stream for good (a session
// that ended answers 401), we ask why and either say so or open a new stream after a pause.
"use strict";

class LiveInbox {
  // onMessage(message) draws or redraws one message; onState("live" | "offline" | "expired") tells the page.
  constructor({ onMessage, onState, checkSession }) {
    Object.assign(this, { onMessage, onState, checkSession, lastId: 0, source: null, retryMs: 1000, stopped: false });
  }

  take(message) {
    this.lastId = Math.max(this.lastId, Number(message.id) || 0);
    this.onMessage(message);
  }

  async catchUp() {
    // Anything that arrived while the stream was down (the server's inbox is the truth; drawing twice is harmless).
    const response = await fetch(`/web/api/messages?after=${this.lastId}`, { credentials: "same-origin" });
    if (response.status === 401) { this.stop("expired"); return false; }
    const data = await response.json();
    if (!data.ok) throw new Error(data.message || response.statusText);
    data.messages.forEach((m) => this.take(m));
    return true;
  }

  async start() {
    try {
      if (!(await this.catchUp())) return;
    } catch (error) { this.onState("offline"); } // the stream's first open catches up instead
    this.open();
  }

  open() {
    if (this.stopped) return;
    const source = new EventSource("/web/api/events");
    this.source = source;
    const handle = (e) => {
      try { this.take(JSON.parse(e.data)); } catch (error) { console.warn("bad event", error); }
    };
    source.addEventListener("message", handle);
    source.addEventListener("edit", handle);
    source.onopen = () => {
      this.retryMs = 1000;
      this.onState("live");
      this.catchUp().catch(() => {});
    };
    source.onerror = () => {
      if (this.stopped) return;
      this.onState("offline");
      if (source.readyState === EventSource.CLOSED) this.reopenLater();
    };
  }

  async reopenLater() {
    this.source = null;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 30 * 1000);
    await new Promise((r) => setTimeout(r, wait));
    if (this.stopped) return;
    try {
      if ((await this.checkSession()) === "expired") { this.stop("expired"); return; }
    } catch (error) { /* still offline: try again later */ }
    this.open();
  }

  stop(why) {
    this.stopped = true;
    if (this.source) this.source.close();
    this.source = null;
    if (why) this.onState(why);
  }
}

window.WebLive = { LiveInbox };
