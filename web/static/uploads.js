// The camera and voice buttons: a photo is checked (kind, size) before it leaves the phone, shown as a thumbnail
// with a progress bar while it uploads; a voice note is recorded and sent the same way. Loaded before app.js;
// it reaches the page (WebApp) only when the resident acts, by which time app.js has run.
"use strict";

function showUpload(label, thumbUrl) {
  const box = document.getElementById("upload");
  const thumb = box.querySelector(".thumb");
  thumb.hidden = !thumbUrl;
  if (thumbUrl) thumb.src = thumbUrl;
  box.querySelector(".upload-label").textContent = label;
  box.querySelector(".upload-progress").value = 0;
  box.hidden = false;
  return (percent) => { box.querySelector(".upload-progress").value = percent; };
}

function hideUpload() {
  const box = document.getElementById("upload");
  const thumb = box.querySelector(".thumb");
  if (thumb.src.startsWith("blob:")) URL.revokeObjectURL(thumb.src);
  thumb.removeAttribute("src");
  box.hidden = true;
}

async function sendForm(path, form, label, thumbUrl) {
  // True when the server took it; otherwise the resident is told why (their typed words stay in the box).
  const app = window.WebApp;
  if (app.state.expired) return false; // the notice already says what to do
  const progress = showUpload(label, thumbUrl);
  try {
    const { status, body } = await WebMedia.upload(path, form, app.state.csrf, progress);
    if (status >= 200 && status < 300 && body && body.ok) { app.notice(""); return true; }
    app.problem(status, body);
    return false;
  } catch (error) {
    app.offline();
    return false;
  } finally {
    hideUpload();
  }
}

async function sendPhoto(file) {
  const app = window.WebApp;
  if (!file) return;
  if (!(file.type || "").startsWith("image/") && !/\.(heic|heif|jpe?g|png|webp)$/i.test(file.name || "")) {
    app.notice(app.word("not_image"));
    return;
  }
  if (file.size > app.state.maxPhotoMb * 1024 * 1024) { // refused here: no waiting for 10 MB to upload first
    app.notice(app.word("too_large", { mb: app.state.maxPhotoMb }));
    return;
  }
  const box = document.getElementById("text");
  const caption = box.value.trim();
  const form = new FormData();
  form.append("file", file, file.name || "photo.jpg");
  if (caption) form.append("caption", caption);
  if (await sendForm("/web/api/photo", form, app.word("sending_photo"), URL.createObjectURL(file))
      && caption && box.value.trim() === caption) box.value = "";
}

async function sendVoice(blob, fileName) {
  const form = new FormData();
  form.append("file", blob, fileName);
  await sendForm("/web/api/voice", form, window.WebApp.word("sending_voice"), null);
}

function wire() {
  const input = document.getElementById("photo");
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    await sendPhoto(file);
    input.value = ""; // the same photo may be chosen again after an error
  });
  const button = document.getElementById("voice");
  const label = button.querySelector(".voice-label");
  const line = document.getElementById("recording");
  new WebMedia.VoiceRecorder(button, {
    onNote: sendVoice,
    onProblem: (key) => window.WebApp.notice(window.WebApp.word(key), "info"),
    onState: (recording) => {
      const app = window.WebApp;
      button.classList.toggle("recording", recording);
      label.dataset.t = recording ? "voice_stop" : "voice";
      label.textContent = app.word(label.dataset.t);
      line.textContent = recording ? app.word("recording") : "";
      line.hidden = !recording;
    },
  });
}

window.WebPhoto = { wire, sendPhoto };
