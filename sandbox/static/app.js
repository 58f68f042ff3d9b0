// The sandbox page: opens chat columns (personas, new users, the staff group) and long-polls each one.
"use strict";

const state = { info: null, columns: new Map() };

async function api(path, body) {
  const options = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, options);
  const data = await response.json();
  if (!data.ok) throw new Error(data.description || response.statusText);
  return data.result;
}

function userName(id) {
  const p = state.info.personas.find((x) => x.user_id === id);
  if (p) return p.display_name;
  const u = state.info.users.find((x) => x.id === id);
  return u ? [u.first_name, u.last_name].filter(Boolean).join(" ") : `User ${id}`;
}

function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

class ChatColumn {
  // One chat: a private chat with the bot (user id) or the staff group (negative chat id).
  constructor(key, opts) {
    Object.assign(this, { key, chatId: opts.chatId, userId: opts.userId, extra: opts.extra || {}, rev: 0, alive: true, messages: new Map() });
    this.el = document.getElementById("column-template").content.firstElementChild.cloneNode(true);
    this.el.dataset.testid = `column-${key}`;
    this.$ = (sel) => this.el.querySelector(sel);
    this.$(".who").textContent = opts.title;
    this.$(".meta").textContent = opts.meta;
    this.$(".close").addEventListener("click", () => closeColumn(key));
    this.$(".composer").addEventListener("submit", (e) => { e.preventDefault(); this.sendText(); });
    this.$(".menu-btn").addEventListener("click", () => this.toggleCommands());
    this.$(".contact-btn").addEventListener("click", () => this.shareContact());
    this.$(".file-input").addEventListener("change", (e) => this.sendFile(e.target.files[0]));
    this.$(".voice-input").addEventListener("change", (e) => this.sendFile(e.target.files[0], true));
    this.$(".mic-help-close").addEventListener("click", () => { this.$(".mic-help").hidden = true; });
    this.recorder = new SandboxVoice.VoiceRecorder(this.$(".mic-btn"), {
      onNote: (blob, name) => this.sendVoice(blob, name),
      onUnavailable: (why) => this.offerUpload(why),
      onState: (text) => { this.$(".rec-state").textContent = text; },
    });
    if (this.isGroup) this.setupMembers(opts.members);
    document.getElementById("columns").appendChild(this.el);
    this.poll();
  }

  get isGroup() { return this.chatId < 0; }
  get sender() { return this.isGroup ? Number(this.$(".as-member").value) : this.userId; }

  setupMembers(members) {
    const select = this.$(".as-member");
    select.hidden = false;
    for (const id of members) select.add(new Option(`${userName(id)} (${id})`, id));
    this.$(".contact-btn").hidden = true;
  }

  async post(body) {
    try {
      return await api("/sandbox/send", { user_id: this.sender, ...(this.isGroup ? { chat_id: this.chatId } : {}), ...this.extra, ...body });
    } catch (error) { this.showToast(`⚠️ ${error.message}`, true); }
  }

  async sendText(text) {
    const input = this.$(".composer-text");
    const value = text ?? input.value;
    if (!value.trim()) return;
    if (text === undefined) input.value = "";
    this.$(".commands-menu").hidden = true;
    await this.post({ text: value });
  }

  async sendFile(file, asVoice = false) {
    if (!file) return;
    if (asVoice || SandboxVoice.isAudioFile(file)) {
      await this.sendVoice(file, file.name);
      this.$(".file-input").value = ""; this.$(".voice-input").value = "";
      return;
    }
    const b64 = await fileToBase64(file);
    const caption = this.$(".composer-text").value || undefined;
    this.$(".composer-text").value = "";
    const type = file.type || "";
    if (type.startsWith("image/")) await this.post({ photo_b64: b64, caption });
    else if (type.startsWith("video/")) await this.post({ video_b64: b64, caption, file_name: file.name, mime_type: type });
    else await this.post({ document_b64: b64, file_name: file.name, mime_type: type || undefined, caption });
    this.$(".file-input").value = "";
  }

  async sendVoice(blob, fileName) {
    // Any audio, uploaded or recorded: the sandbox makes it the OGG/Opus voice note (with its duration) Telegram sends.
    this.$(".mic-help").hidden = true;
    this.$(".rec-state").textContent = "🎤 正在发送语音… sending the voice note…";
    await this.post({ audio_b64: await fileToBase64(blob), file_name: fileName });
    this.$(".rec-state").textContent = "";
  }

  offerUpload(why) {
    const help = this.$(".mic-help");
    help.querySelector(".mic-why").textContent = SandboxVoice.REASONS[why] || SandboxVoice.REASONS.unsupported;
    help.querySelector(".mic-hint").textContent = SandboxVoice.UPLOAD_HINT;
    help.dataset.reason = why;
    help.hidden = false;
  }

  async shareContact(phone) {
    // The request-contact button shares the sender's own card; the 📇 button may share anyone's,
    // as Telegram allows: another user's (their user_id) or a phone-book entry without Telegram (none).
    const number = phone || window.prompt("手机号 Phone number", "+86 138 0000 0000");
    if (!number) return;
    const contact = { phone_number: number };
    if (!phone && !window.confirm("这是您自己的联系人卡片吗？ Is this your own contact card?")) {
      const other = window.prompt("对方的 Telegram user id（留空 = 没有 Telegram）/ their user id (blank: not on Telegram)", "");
      if (other === null) return;
      contact.user_id = other.trim() ? Number(other.trim()) : null;
    }
    await this.post({ contact });
  }

  async shareLocation() {
    // A phone shares where it is; here the tester says where, as "latitude, longitude" (the demo estate's
    // buildings are at about 31.230, 121.471).
    const typed = window.prompt("位置：纬度, 经度 / Location: latitude, longitude", "31.2300, 121.4718");
    if (!typed) return;
    const [latitude, longitude] = typed.split(/[,，\s]+/).filter(Boolean).map(Number);
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return;
    await this.post({ location: { latitude, longitude } });
  }

  async click(message, button) {
    try {
      const result = await api("/sandbox/click", { user_id: this.sender, chat_id: this.chatId, message_id: message.message_id, data: button.callback_data, wait_answer: 10 });
      const answer = result.answer;
      if (!answer) this.showToast("⌛ 机器人没有回应这个按钮 The bot did not answer this button", true);
      else if (answer.text) this.showToast(answer.text, answer.show_alert);
      if (answer && answer.url) window.open(answer.url, "_blank");
    } catch (error) { this.showToast(`⚠️ ${error.message}`, true); }
  }

  async pay(message) {
    try {
      const result = await api("/sandbox/pay", { user_id: this.sender, message_id: message.message_id, wait_answer: 10 });
      if (!result.answer) this.showToast("⌛ 机器人没有确认付款 The bot did not answer the checkout", true);
      else if (!result.answer.ok) this.showToast(result.answer.error_message, true);
    } catch (error) { this.showToast(`⚠️ ${error.message}`, true); }
  }

  showToast(text, alert) {
    const toast = this.$(".toast");
    toast.textContent = text;
    toast.className = `toast${alert ? " alert" : ""}`;
    toast.dataset.testid = "toast";
    toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { toast.hidden = true; }, alert ? 6000 : 3000);
  }

  async toggleCommands() {
    const menu = this.$(".commands-menu");
    if (!menu.hidden) { menu.hidden = true; return; }
    const commands = await api(`/sandbox/commands?user_id=${this.sender}&chat_id=${this.chatId}`);
    menu.replaceChildren();
    for (const c of commands) {
      const row = document.createElement("div");
      const name = document.createElement("b");
      name.textContent = `/${c.command}`;
      row.append(name, c.description);
      row.addEventListener("click", () => { this.$(".composer-text").value = `/${c.command} `; menu.hidden = true; this.$(".composer-text").focus(); });
      menu.appendChild(row);
    }
    if (!commands.length) menu.textContent = "机器人还没有设置命令菜单 No command menu set yet";
    menu.hidden = false;
  }

  renderReplyKeyboard(markup) {
    const box = this.$(".reply-keyboard");
    box.replaceChildren();
    for (const row of (markup && markup.keyboard) || []) {
      for (const b of row) {
        const label = typeof b === "string" ? b : b.text;
        const el = document.createElement("button");
        el.type = "button"; el.textContent = label; el.dataset.testid = "reply-button";
        el.addEventListener("click", () => (b.request_contact ? this.shareContact()
          : b.request_location ? this.shareLocation() : this.sendText(label)));
        box.appendChild(el);
      }
    }
  }

  render(message) {
    const list = this.$(".messages");
    const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const sender = this.isGroup && !message.from_bot ? userName(message.from_id) : message.from_bot && this.isGroup ? state.info.bot.first_name : "";
    const node = SandboxRender.bubble(message, sender, (m, b) => this.click(m, b), (m) => this.pay(m));
    const old = this.messages.get(message.message_id);
    if (old) old.replaceWith(node);
    else list.appendChild(node);
    this.messages.set(message.message_id, node);
    if (stick || !old) list.scrollTop = list.scrollHeight;
  }

  async poll() {
    const where = this.isGroup ? `chat_id=${this.chatId}` : `user_id=${this.userId}`;
    while (this.alive) {
      try {
        const response = await fetch(`/sandbox/messages?${where}&include_user=1&after_rev=${this.rev}&wait=${this.rev ? 20 : 0}`);
        const data = await response.json();
        if (!this.alive) return;
        if (!data.ok) { await new Promise((r) => setTimeout(r, 1000)); continue; }
        data.result.forEach((m) => this.render(m));
        this.renderReplyKeyboard(data.reply_keyboard);
        this.$(".status").textContent = data.action === "typing" ? "机器人正在输入… typing…" : data.action ? `${data.action}…` : "";
        this.rev = data.rev;
      } catch (error) {
        this.$(".status").textContent = "⚠️ 连接断开，重试中 disconnected, retrying";
        await new Promise((r) => setTimeout(r, 1500));
      }
    }
  }
}

function openColumn(key) {
  if (state.columns.has(key)) { state.columns.get(key).el.scrollIntoView(); return; }
  const hint = document.querySelector(".empty-hint");
  if (hint) hint.remove();
  let column;
  if (key === "group") {
    const g = state.info.staff_group;
    column = new ChatColumn(key, { chatId: g.id, title: `👥 ${g.title}`, meta: `${g.id} · ${g.members.length} 成员 members`, members: g.members });
  } else {
    const [id, lang, name] = key.split(":");
    const userId = Number(id);
    const persona = state.info.personas.find((p) => p.user_id === userId);
    const meta = persona ? `${userId} · ${persona.role} · ${persona.language_code} · ${persona.label}` : `${userId} · 新用户 new user · ${lang || ""}`;
    const extra = persona ? {} : { language_code: lang || undefined, first_name: name || undefined };
    column = new ChatColumn(key, { chatId: userId, userId, title: persona ? persona.display_name : name || `User ${userId}`, meta, extra });
  }
  state.columns.set(key, column);
  saveHash();
}

function closeColumn(key) {
  const column = state.columns.get(key);
  if (!column) return;
  column.alive = false;
  column.el.remove();
  state.columns.delete(key);
  saveHash();
}

function saveHash() { history.replaceState(null, "", `#${[...state.columns.keys()].join(",")}`); }

async function main() {
  state.info = await api("/sandbox/info");
  const select = document.getElementById("persona-select");
  for (const p of state.info.personas) select.add(new Option(`${p.user_id} ${p.display_name} · ${p.label || p.role}`, p.user_id));
  document.getElementById("open-persona").addEventListener("submit", (e) => { e.preventDefault(); openColumn(select.value); });
  document.getElementById("open-group").addEventListener("click", () => openColumn("group"));
  const newId = document.getElementById("new-id");
  newId.value = 5000 + Math.floor(Math.random() * 1000);
  document.getElementById("open-new-user").addEventListener("submit", (e) => {
    e.preventDefault();
    const name = document.getElementById("new-name").value.replace(/[:,]/g, " ").trim();
    openColumn(`${Number(newId.value)}:${document.getElementById("new-lang").value}:${name}`);
    newId.value = 5000 + Math.floor(Math.random() * 1000);
  });
  for (const key of decodeURIComponent(location.hash.slice(1)).split(",").filter(Boolean)) openColumn(key);
}

main().catch((error) => { document.body.prepend(`⚠️ ${error.message}`); });
