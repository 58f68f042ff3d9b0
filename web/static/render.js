// The resident's chat: bot messages as bubbles on the left with their buttons as chips, the resident's own on
// the right. Nothing is ever assigned to innerHTML: markup is rebuilt node by node from an inert parse.
"use strict";

// Telegram's HTML subset (the server already sanitises to it; this is the second lock on the door).
const ALLOWED_TAGS = { B: "b", STRONG: "b", I: "i", EM: "i", U: "u", INS: "u", S: "s", STRIKE: "s", DEL: "s",
  CODE: "code", PRE: "pre", A: "a", BLOCKQUOTE: "blockquote" };

function safeHtml(source) {
  // DOMParser gives an inert document: no script runs and nothing loads while we copy the allowed nodes.
  const parsed = new DOMParser().parseFromString(`<body>${source || ""}</body>`, "text/html");
  const out = document.createDocumentFragment();
  const walk = (node, parent) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { parent.appendChild(document.createTextNode(child.textContent)); continue; }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      if (child.tagName === "BR") { parent.appendChild(document.createTextNode("\n")); continue; }
      const tag = ALLOWED_TAGS[child.tagName];
      if (!tag) { walk(child, parent); continue; }
      const el = document.createElement(tag);
      const href = tag === "a" ? child.getAttribute("href") || "" : "";
      if (/^(https?:|mailto:|tel:)/i.test(href)) { el.href = href; el.target = "_blank"; el.rel = "noopener noreferrer"; }
      walk(child, el);
      parent.appendChild(el);
    }
  };
  walk(parsed.body, out);
  return out;
}

function when(at, language) {
  // `at` may be epoch seconds or an ISO string; either way the resident sees their phone's local time.
  const date = typeof at === "number" ? new Date(at * 1000) : new Date(at);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleTimeString(language === "en" ? "en-GB" : "zh-CN", { hour: "2-digit", minute: "2-digit" });
}

function chips(message, onTap) {
  const rows = message.buttons || [];
  if (!rows.length) return null;
  const box = document.createElement("div");
  box.className = "chips";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "chip-row";
    for (const button of row) {
      let chip;
      if (button.url) {
        chip = document.createElement("a");
        chip.href = button.url; chip.target = "_blank"; chip.rel = "noopener noreferrer";
      } else {
        chip = document.createElement("button");
        chip.type = "button";
        chip.addEventListener("click", () => onTap(message, button, box));
      }
      chip.className = "chip";
      chip.dataset.testid = "chip";
      chip.dataset.data = button.data || "";
      chip.textContent = button.label;
      line.appendChild(chip);
    }
    box.appendChild(line);
  }
  return box;
}

function media(message, words) {
  if (message.photo_url) {
    const img = document.createElement("img");
    img.className = "photo"; img.src = message.photo_url; img.alt = words.photo_alt; img.loading = "lazy";
    return img;
  }
  if (message.document_url) {
    const link = document.createElement("a");
    link.className = "file"; link.href = message.document_url; link.target = "_blank"; link.rel = "noopener";
    link.textContent = `📄 ${message.document_name || words.file}`;
    return link;
  }
  if (message.voice_url) {
    const audio = document.createElement("audio");
    audio.controls = true; audio.preload = "none"; audio.src = message.voice_url;
    return audio;
  }
  return null;
}

function bubble(message, { onTap, words, language }) {
  const mine = message.from === "me";
  const div = document.createElement("article");
  // A toast is a button's short answer (Telegram shows it over the chat): a quiet line, not a bubble.
  div.className = `msg ${mine ? "me" : "bot"}${message.toast ? " toast" : ""}`;
  div.hidden = Boolean(message.deleted); // the bot took it back, as in Telegram
  div.dataset.id = message.id;
  div.dataset.testid = mine ? "my-message" : "bot-message";
  const picture = media(message, words);
  if (picture) div.appendChild(picture);
  if (message.html) {
    const body = document.createElement("div");
    body.className = "body";
    body.appendChild(safeHtml(message.html));
    div.appendChild(body);
  }
  const keyboard = mine ? null : chips(message, onTap);
  if (keyboard) div.appendChild(keyboard);
  const foot = document.createElement("span");
  foot.className = "foot";
  foot.textContent = `${message.edited ? `${words.edited} · ` : ""}${when(message.at, language)}`;
  div.appendChild(foot);
  return div;
}

window.WebRender = { bubble, safeHtml };
