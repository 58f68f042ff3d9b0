// Photos and voice notes from the phone: an upload with a progress bar (fetch cannot report upload progress,
// so XMLHttpRequest), and a hold-or-tap recorder with MediaRecorder, as on the sandbox page (sandbox/static/voice.js).
"use strict";

function upload(path, form, csrf, onProgress) {
  // Resolves to {status, body}; rejects only when the network failed (offline), like fetch.
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.timeout = 120 * 1000;
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total)); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (error) { body = null; }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new TypeError("network"));
    xhr.ontimeout = () => reject(new TypeError("timeout"));
    xhr.send(form);
  });
}

const RECORD_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
const HOLD_MS = 600;           // pressed longer than this: a hold, so letting go sends
const LONGEST_MS = 60 * 1000;  // the bot takes notes up to 60 s; stop by itself there

// Why this browser cannot record here (a key of the page's words), or null when it can try.
function recordingUnavailable() {
  if (!window.isSecureContext) return "mic_insecure";
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) return "mic_unsupported";
  return null;
}

class VoiceRecorder {
  // onNote(blob, fileName) sends the note; onProblem(wordKey) explains; onState(recording) redraws the button.
  constructor(button, { onNote, onProblem, onState }) {
    Object.assign(this, { button, onNote, onProblem, onState, recorder: null, starting: null, pressedAt: 0 });
    button.addEventListener("pointerdown", (e) => { e.preventDefault(); this.down(); });
    button.addEventListener("pointerup", () => this.up());
    button.addEventListener("contextmenu", (e) => e.preventDefault()); // a long press must not open a menu
    button.addEventListener("keydown", (e) => { if (e.key === " " || e.key === "Enter") { e.preventDefault(); this.down(); } });
  }

  get recording() { return Boolean(this.recorder || this.starting); }

  down() {
    if (this.recording) { this.stop(); return; } // the second tap of tap-to-start, tap-to-stop
    this.pressedAt = Date.now();
    this.starting = this.start().finally(() => { this.starting = null; });
  }

  async up() {
    if (!this.pressedAt || Date.now() - this.pressedAt < HOLD_MS) return; // a tap: keep recording till the next
    this.pressedAt = 0;
    if (this.starting) await this.starting;
    this.stop();
  }

  async start() {
    const why = recordingUnavailable();
    if (why) { this.pressedAt = 0; this.onProblem(why); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      this.pressedAt = 0;
      this.onProblem(error && error.name === "NotAllowedError" ? "mic_permission" : "mic_missing");
      return;
    }
    const mimeType = RECORD_TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    const chunks = [];
    recorder.ondataavailable = (e) => { if (e.data && e.data.size) chunks.push(e.data); };
    recorder.onstop = () => {
      stream.getTracks().forEach((t) => t.stop());
      const type = recorder.mimeType || mimeType || "audio/webm";
      const blob = new Blob(chunks, { type });
      if (blob.size) this.onNote(blob, `voice.${type.includes("ogg") ? "ogg" : type.includes("mp4") ? "m4a" : "webm"}`);
    };
    recorder.start(250);
    this.recorder = recorder;
    this.timer = setTimeout(() => this.stop(), LONGEST_MS);
    this.onState(true);
  }

  stop() {
    clearTimeout(this.timer);
    const recorder = this.recorder;
    this.recorder = null;
    this.onState(false);
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }
}

window.WebMedia = { upload, VoiceRecorder, recordingUnavailable };
