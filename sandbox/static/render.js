// Message rendering for the sandbox page: Telegram HTML made safe, bubbles, media and inline keyboards.
"use strict";

// Telegram's HTML subset; anything else is dropped and only its text is kept.
const ALLOWED_TAGS = { B: "b", STRONG: "b", I: "i", EM: "i", U: "u", INS: "u", S: "s", STRIKE: "s", DEL: "s",
  CODE: "code", PRE: "pre", A: "a", BLOCKQUOTE: "blockquote", "TG-SPOILER": "span", SPAN: "span" };

function safeHtml(source) {
  // DOMParser gives an inert document: no scripts run and nothing loads; we rebuild only allowed nodes.
  const parsed = new DOMParser().parseFromString(`<body>${source}</body>`, "text/html");
  const out = document.createDocumentFragment();
  const walk = (node, parent) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { parent.appendChild(document.createTextNode(child.textContent)); continue; }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      const tag = ALLOWED_TAGS[child.tagName];
      if (!tag) { walk(child, parent); continue; }
      const el = document.createElement(tag);
      if (tag === "a") {
        const href = child.getAttribute("href") || "";
        if (/^(https?:|tg:|mailto:)/i.test(href)) { el.href = href; el.target = "_blank"; el.rel = "noopener noreferrer"; }
      }
      if (tag === "span") el.className = "spoiler";
      walk(child, el);
      parent.appendChild(el);
    }
  };
  walk(parsed.body, out);
  return out;
}

function textNode(text, parseMode) {
  const span = document.createElement("span");
  span.className = "body";
  if (parseMode && parseMode.toUpperCase() === "HTML") span.appendChild(safeHtml(text));
  else span.textContent = text;
  return span;
}

function mediaNode(m) {
  if (m.photo) {
    const img = document.createElement("img");
    img.className = "photo"; img.src = m.file_url; img.alt = "photo";
    return img;
  }
  if (m.voice || m.audio) {
    const audio = document.createElement("audio");
    audio.controls = true; audio.src = m.file_url;
    return audio;
  }
  if (m.video || m.animation) {
    const video = document.createElement("video");
    video.controls = true; video.src = m.file_url; video.style.maxWidth = "100%";
    return video;
  }
  if (m.document) {
    const a = document.createElement("a");
    a.className = "file"; a.href = m.file_url; a.target = "_blank";
    a.textContent = `📄 ${m.document.file_name || "file"}`;
    return a;
  }
  if (m.contact) {
    const c = document.createElement("span");
    c.className = "contact";
    c.textContent = `📞 ${m.contact.first_name || ""} ${m.contact.phone_number}`;
    return c;
  }
  if (m.successful_payment) {
    const p = document.createElement("span");
    const sp = m.successful_payment;
    p.className = "contact";
    p.textContent = `💳 ${(sp.total_amount / 100).toFixed(2)} ${sp.currency} · ${sp.telegram_payment_charge_id}`;
    return p;
  }
  if (m.location) {
    const l = document.createElement("span");
    l.className = "contact";
    l.textContent = `📍 ${m.location.latitude}, ${m.location.longitude}`;
    return l;
  }
  return null;
}

function inlineKeyboard(m, onCallback) {
  const rows = (m.reply_markup && m.reply_markup.inline_keyboard) || [];
  if (!rows.length || m.deleted) return null;
  const box = document.createElement("div");
  box.className = "inline-keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "row";
    for (const button of row) {
      let el;
      if (button.url) {
        el = document.createElement("a");
        el.href = button.url; el.target = "_blank"; el.rel = "noopener noreferrer";
        el.textContent = `${button.text} ↗`;
      } else {
        el = document.createElement("button");
        el.type = "button"; el.textContent = button.text;
        el.addEventListener("click", () => onCallback(m, button));
      }
      el.classList.add("inline-btn");
      el.dataset.testid = "inline-button";
      line.appendChild(el);
    }
    box.appendChild(line);
  }
  return box;
}

// An invoice as Telegram draws it: title, description, the amount, and Telegram's own Pay button.
function invoiceNode(m, onPay) {
  const inv = m.invoice;
  const box = document.createElement("div");
  box.className = "invoice"; box.dataset.testid = "invoice";
  const title = document.createElement("b");
  title.textContent = inv.title;
  const text = document.createElement("div");
  text.textContent = inv.description;
  const pay = document.createElement("button");
  pay.type = "button"; pay.className = "inline-btn"; pay.dataset.testid = "pay-button";
  pay.textContent = `Pay ${(inv.total_amount / 100).toFixed(2)} ${inv.currency}`;
  pay.addEventListener("click", () => onPay && onPay(m));
  box.append(title, text, pay);
  return box;
}

function bubble(m, senderName, onCallback, onPay) {
  const div = document.createElement("div");
  div.className = `msg ${m.from_bot ? "bot" : "user"}${m.deleted ? " deleted" : ""}`;
  div.dataset.messageId = m.message_id;
  div.dataset.testid = m.from_bot ? "bot-message" : "user-message";
  if (senderName) {
    const s = document.createElement("span");
    s.className = "sender"; s.textContent = senderName;
    div.appendChild(s);
  }
  const media = m.invoice ? invoiceNode(m, onPay) : mediaNode(m);
  if (media) div.appendChild(media);
  const body = m.text ?? m.caption;
  if (body) div.appendChild(textNode(body, m.from_bot ? m.parse_mode : null));
  const keyboard = inlineKeyboard(m, onCallback);
  if (keyboard) div.appendChild(keyboard);
  const foot = document.createElement("span");
  foot.className = "foot";
  const time = new Date(m.date * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  foot.textContent = `${m.edited ? "已编辑 edited · " : ""}#${m.message_id} · ${time}`;
  div.appendChild(foot);
  return div;
}

window.SandboxRender = { bubble, safeHtml };
