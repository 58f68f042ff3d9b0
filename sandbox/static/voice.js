// Voice notes on the sandbox page: record with MediaRecorder (hold the 🎤, or tap to start and tap to stop) or
// upload an audio file; the sandbox server converts either to the OGG/Opus voice note Telegram would send.
"use strict";

const RECORD_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
const HOLD_MS = 600;           // pressed longer than this: a hold, so letting go sends
const LONGEST_MS = 120 * 1000; // stop by itself (the bot refuses notes over 60 s, politely)
const AUDIO_NAME = /\.(wav|mp3|m4a|aac|ogg|oga|opus|webm|flac|amr|3gp)$/i;

// Why this browser cannot record here, as a key of REASONS; null when it can try.
function recordingUnavailable() {
  if (!window.isSecureContext) return "insecure";
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) return "unsupported";
  return null;
}

const REASONS = {
  insecure: "这个页面不是安全连接（需要 https、localhost 或 127.0.0.1），浏览器不允许录音。 This page is not a secure context (https, localhost or 127.0.0.1), so the browser does not allow recording.",
  unsupported: "这个浏览器不支持录音。 This browser cannot record audio.",
  permission: "没有得到使用麦克风的许可；可以在地址栏旁允许麦克风后再试。 Microphone permission was not given; allow it next to the address bar and try again.",
  device: "没有找到可用的麦克风。 No microphone was found.",
};
const UPLOAD_HINT = "您也可以上传一个录好的音频文件（wav、mp3、m4a、ogg、webm），它会作为语音发送。 You can upload a recorded audio file instead; it is sent as a voice note.";

function isAudioFile(file) {
  const type = file.type || "";
  return type.startsWith("audio/") || (!type.startsWith("video/") && AUDIO_NAME.test(file.name || ""));
}

class VoiceRecorder {
  // One column's 🎤 button: onNote(blob, fileName) sends what was recorded; onUnavailable(reasonKey) explains.
  constructor(button, { onNote, onUnavailable, onState }) {
    Object.assign(this, { button, onNote, onUnavailable, onState, recorder: null, starting: null, pressedAt: 0 });
    button.addEventListener("pointerdown", (e) => { e.preventDefault(); this.down(); });
    button.addEventListener("pointerup", () => this.up());
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
    if (why) { this.pressedAt = 0; this.onUnavailable(why); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      this.pressedAt = 0;
      this.onUnavailable(error && error.name === "NotAllowedError" ? "permission" : "device");
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
      if (blob.size) this.onNote(blob, `recording.${type.includes("ogg") ? "ogg" : type.includes("mp4") ? "m4a" : "webm"}`);
    };
    recorder.start(250);
    this.recorder = recorder;
    this.timer = setTimeout(() => this.stop(), LONGEST_MS);
    this.button.classList.add("recording");
    this.button.textContent = "⏹";
    this.onState("🔴 正在录音… 松开或再点一下发送 Recording… release, or tap again, to send");
  }

  stop() {
    clearTimeout(this.timer);
    const recorder = this.recorder;
    this.recorder = null;
    this.button.classList.remove("recording");
    this.button.textContent = "🎤";
    this.onState("");
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }
}

window.SandboxVoice = { VoiceRecorder, recordingUnavailable, isAudioFile, REASONS, UPLOAD_HINT };
