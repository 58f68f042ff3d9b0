// The resident's web chat: the same conversation as in Telegram, in zh (default) or en. The bot's own messages
// come from the server already in the resident's language; these words are only the page's own.
"use strict";

const WORDS = {
  zh: {
    title: "物业报修", hello: "您好，{name}", loading: "正在打开…", empty: "请在下面打字，告诉我们哪里需要维修。",
    type_here: "在这里打字", send: "发送", photo: "拍照片", voice: "按住说话", voice_stop: "松开发送",
    other_language: "English", photo_alt: "照片", file: "文件", edited: "已修改",
    recording: "🔴 正在录音…松开手指（或再点一下）就发送",
    sending_photo: "正在发送照片…", sending_voice: "正在发送语音…",
    offline: "网络好像断开了，正在重新连接。您写的内容都还在。",
    send_failed: "没有发送成功，您写的内容还在输入框里，请稍后再点“发送”。",
    expired: "您的登录已过期。请重新扫描家里收到的二维码。",
    forbidden: "页面已过期，请刷新页面后再试。", too_fast: "您发得太快了，请等一会儿再发。",
    too_large: "这张照片太大了（超过 {mb} MB），请换一张或拍得小一些。",
    not_image: "这个文件不是照片，请选择一张照片。",
    mic_insecure: "这个网址不安全，浏览器不允许录音。请直接打字。",
    mic_unsupported: "这个浏览器不能录音。请直接打字或拍照片。",
    mic_permission: "没有得到使用麦克风的许可。请在浏览器设置里允许麦克风，或直接打字。",
    mic_missing: "没有找到麦克风。请直接打字。",
  },
  en: {
    title: "Repairs", hello: "Hello, {name}", loading: "Opening…", empty: "Type below to tell us what needs repairing.",
    type_here: "Type here", send: "Send", photo: "Photo", voice: "Hold to talk", voice_stop: "Let go to send",
    other_language: "中文", photo_alt: "photo", file: "file", edited: "edited",
    recording: "🔴 Recording… let go (or tap again) to send",
    sending_photo: "Sending the photo…", sending_voice: "Sending the voice message…",
    offline: "The connection seems lost; reconnecting. Nothing you wrote is lost.",
    send_failed: "That was not sent. Your text is still in the box; please tap Send again in a moment.",
    expired: "Your sign-in has ended. Please scan your QR code again.",
    forbidden: "This page is out of date. Please reload it and try again.",
    too_fast: "You are sending very fast. Please wait a moment and try again.",
    too_large: "This photo is too large (over {mb} MB). Please choose a smaller one.",
    not_image: "This file is not a photo. Please choose a photo.",
    mic_insecure: "This address is not secure, so the browser does not allow recording. Please type instead.",
    mic_unsupported: "This browser cannot record sound. Please type or send a photo.",
    mic_permission: "The microphone was not allowed. Please allow it in the browser's settings, or type instead.",
    mic_missing: "No microphone was found. Please type instead.",
  },
};
const STATUS_WORDS = { 401: "expired", 403: "forbidden", 413: "too_large", 429: "too_fast" };
const $ = (id) => document.getElementById(id);
const state = { language: "zh", csrf: "", name: "", maxPhotoMb: 10, nodes: new Map(), expired: false };

function word(key, values = {}) {
  const text = (WORDS[state.language] || WORDS.zh)[key] || WORDS.zh[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ""));
}

function notice(text, kind = "error") {
  const box = $("notice");
  box.textContent = text || "";
  box.className = `notice ${kind}`;
  box.hidden = !text;
}

function problem(status, body) {
  // The server's own words (in the resident's language) first; the page's words when it gave none.
  if (status === 401) { sessionEnded(body && body.message); return; }
  const key = STATUS_WORDS[status] || "send_failed";
  notice((body && body.message) || word(key, { mb: state.maxPhotoMb }));
}

function sessionEnded(why) {
  // The server says why when it can (expired, signed out, deactivated by the estate); else: scan the code again.
  state.expired = true;
  notice(why || word("expired"), "expired");
  document.body.classList.add("ended");
  live.stop();
}

function offline() {
  // Said once; then the page asks the server every few seconds and clears the notice when it answers again
  // (a send that failed does not tell us when the network is back; the live stream may never have dropped).
  notice(word("offline"), "offline");
  if (state.probing) return;
  state.probing = true;
  const probe = async () => {
    try {
      const response = await fetch("/web/api/session", { credentials: "same-origin", cache: "no-store" });
      state.probing = false;
      if (response.status === 401) sessionEnded();
      else if ($("notice").classList.contains("offline")) notice("");
    } catch (error) { setTimeout(probe, 3000); }
  };
  setTimeout(probe, 2000);
}

async function post(path, payload) {
  // True when the server took it; otherwise the resident has been told why and their input stays where it was.
  if (state.expired) return false; // the notice already says what to do
  let response;
  try {
    response = await fetch(path, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": state.csrf }, body: JSON.stringify(payload) });
  } catch (error) { offline(); return false; }
  let body = null;
  try { body = await response.json(); } catch (error) { body = null; }
  if (response.ok && body && body.ok) { notice(""); return true; }
  problem(response.status, body);
  return false;
}

function translatePage() {
  document.documentElement.lang = state.language === "en" ? "en" : "zh-CN";
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = word(el.dataset.t); });
  document.querySelectorAll("[data-t-placeholder]").forEach((el) => {
    el.placeholder = word(el.dataset.tPlaceholder);
  });
  $("lang").textContent = word("other_language");
  $("lang").lang = state.language === "en" ? "zh-CN" : "en";
  $("hello").textContent = state.name ? word("hello", { name: state.name }) : "";
  document.title = `${word("title")} · ${state.language === "en" ? "物业报修" : "Repairs"}`;
}

function nearBottom(list) { return list.scrollHeight - list.scrollTop - list.clientHeight < 80; }

function keepAtBottom() {
  // A resident reading the newest message keeps seeing it when a notice, photo or edit changes the sizes.
  const list = $("messages");
  state.stick = true;
  list.addEventListener("scroll", () => { state.stick = nearBottom(list); }, { passive: true });
  const follow = () => { if (state.stick) list.scrollTop = list.scrollHeight; };
  new ResizeObserver(follow).observe(list);
  list.addEventListener("load", follow, true); // images finishing their download (load does not bubble)
}

function draw(message) {
  const list = $("messages");
  const atBottom = nearBottom(list);
  const node = WebRender.bubble(message, { onTap: tap, words: WORDS[state.language], language: state.language });
  const old = state.nodes.get(String(message.id));
  if (old) old.replaceWith(node);
  else {
    const empty = list.querySelector(".empty");
    if (empty) empty.remove();
    list.appendChild(node);
  }
  state.nodes.set(String(message.id), node);
  if (!old || atBottom) { list.scrollTop = list.scrollHeight; state.stick = true; }
}

async function tap(message, button, box) {
  const chipsNow = box.querySelectorAll("button.chip");
  chipsNow.forEach((c) => { c.disabled = true; });
  const ok = await post("/web/api/tap", { message_id: message.id, data: button.data });
  // Off while the bot answers (no double taps); back on after a failure at once, else after a pause, because
  // Telegram's buttons stay tappable (催单 again tomorrow). An edit by the bot redraws the message anyway.
  const enable = () => chipsNow.forEach((c) => { c.disabled = false; });
  if (ok) setTimeout(enable, 4000); else enable();
}

async function sendText(event) {
  event.preventDefault();
  const box = $("text");
  const text = box.value.trim();
  if (!text) { box.focus(); return; }
  $("send").disabled = true;
  const ok = await post("/web/api/send", { text });
  $("send").disabled = false;
  if (ok && box.value.trim() === text) box.value = ""; // cleared only once the server has it
}

async function session() {
  const response = await fetch("/web/api/session", { credentials: "same-origin" });
  if (response.status === 401) return "expired";
  const data = await response.json();
  if (!data.ok) throw new Error(data.message || response.statusText);
  Object.assign(state, { csrf: data.csrf, name: data.name || "", language: data.language === "en" ? "en" : "zh" });
  if (data.max_photo_bytes) state.maxPhotoMb = Math.round((10 * data.max_photo_bytes) / (1024 * 1024)) / 10;
  return "ok";
}

async function switchLanguage() {
  const language = state.language === "en" ? "zh" : "en";
  if (!(await post("/web/api/lang", { language }))) return;
  state.language = language;
  translatePage();
}

const live = new WebLive.LiveInbox({
  onMessage: draw,
  checkSession: session,
  onState: (how) => {
    if (how === "expired") sessionEnded();
    else if (how === "offline") offline();
    else if ($("notice").classList.contains("offline")) notice("");
  },
});

async function signedIn() {
  // The session (name, language, CSRF token); offline at the first try: keep trying, the page stays as it is.
  for (let wait = 2000; ; wait = Math.min(wait * 2, 30 * 1000)) {
    try { return (await session()) === "ok"; } catch (error) { notice(word("offline"), "offline"); }
    await new Promise((r) => setTimeout(r, wait));
  }
}

async function main() {
  translatePage();
  keepAtBottom();
  if (!(await signedIn())) { sessionEnded(); return; }
  notice("");
  translatePage();
  $("composer").addEventListener("submit", sendText);
  $("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) sendText(e); });
  $("lang").addEventListener("click", switchLanguage);
  WebPhoto.wire();
  await live.start();
  const empty = $("messages").querySelector(".empty");
  if (empty) { empty.dataset.t = "empty"; empty.textContent = word("empty"); }
}

window.WebApp = { word, notice, problem, post, offline, state };
main().catch((error) => notice(`${word("send_failed")} (${error.message})`));
