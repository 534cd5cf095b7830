// The web phone: a thin page over /simulator/api/*, which signs and drives the real webhooks.
"use strict";

const $ = (selector) => document.querySelector(selector);
let call = null; // {sid, action, redirect} while a call is up

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({error: response.statusText}));
  if (!response.ok) throw new Error(data.error || data.description || response.statusText);
  return data;
}

function number() { return $("#number").value.trim(); }

function bubble(text, direction, meta) {
  const item = document.createElement("li");
  item.className = direction;
  item.textContent = text;
  if (meta) {
    const small = document.createElement("span");
    small.className = "meta";
    small.textContent = meta;
    item.appendChild(small);
  }
  $("#thread").appendChild(item);
  item.scrollIntoView({block: "end"});
}

async function sendText(body, picture) {
  bubble(picture ? "[picture]" : body || "(empty message)", "out");
  try {
    const data = await api("/simulator/api/sms", {from: number(), body, picture});
    if (!data.messages.length) bubble("(no reply: nothing is sent)", "in");
    for (const message of data.messages) {
      const parts = message.segments === 1 ? "1 segment" : `${message.segments} segments`;
      bubble(message.text, "in", `${message.encoding} · ${parts} · ${message.text.length} characters`);
    }
  } catch (error) { bubble(`Error: ${error.message}`, "in"); }
}

function speak(prompts) {
  if (!$("#speak").checked || !("speechSynthesis" in window)) return;
  window.speechSynthesis.cancel();
  for (const prompt of prompts) {
    const utterance = new SpeechSynthesisUtterance(prompt.text);
    utterance.lang = prompt.language === "arb" ? "ar" : prompt.language;
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }
}

function showStep(data) {
  const step = data.step;
  const box = $("#prompt");
  box.replaceChildren();
  for (const prompt of step.prompts) {
    const paragraph = document.createElement("p");
    paragraph.lang = prompt.language;
    paragraph.textContent = prompt.text;
    box.appendChild(paragraph);
  }
  for (const play of step.plays) {
    const paragraph = document.createElement("p");
    paragraph.textContent = `[recording: ${play}]`;
    box.appendChild(paragraph);
  }
  speak(step.prompts);
  for (const text of data.texts || []) {
    const sms = document.createElement("div");
    sms.className = "sms";
    sms.textContent = `Text message that would be sent (${text.node_id}, ${text.lang}):\n\n` + text.messages.join("\n---\n");
    $("#texts").appendChild(sms);
  }
  if (step.hung_up || !step.listening) {
    $("#call-status").textContent = step.dialled ? `The line is transferring the call to ${step.dialled}.` : "The line hung up.";
    call = null;
  } else {
    call = {sid: data.call_sid, action: step.action, redirect: step.redirect};
    $("#call-status").textContent = `In a call. Listening for a key or words (${step.speech_language}).`;
  }
}

async function callAction(action, value) {
  if (action !== "dial" && !call) { $("#call-status").textContent = "Not in a call: press “Call the line”."; return; }
  try {
    const data = await api("/simulator/api/call", {
      from: number(), action, value, call_sid: call && call.sid,
      action_url: call && call.action, redirect_url: call && call.redirect,
    });
    showStep(data);
  } catch (error) { $("#call-status").textContent = `Error: ${error.message}`; }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#sms-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = $("#sms-body").value;
    $("#sms-body").value = "";
    sendText(body, false);
  });
  $("#send-picture").addEventListener("click", () => sendText("", true));
  $("#dial").addEventListener("click", () => { $("#texts").replaceChildren(); callAction("dial"); });
  $("#silent").addEventListener("click", () => callAction("silence"));
  $("#hangup").addEventListener("click", () => {
    call = null;
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
    $("#call-status").textContent = "You hung up.";
  });
  for (const key of document.querySelectorAll(".keypad button")) {
    key.addEventListener("click", () => callAction("press", key.dataset.key));
  }
  $("#say-form").addEventListener("submit", (event) => {
    event.preventDefault();
    callAction("say", $("#say-words").value);
    $("#say-words").value = "";
  });
  $("#new-caller").addEventListener("click", () => {
    $("#number").value = "+1555" + String(Math.floor(1000000 + Math.random() * 8999999));
    $("#thread").replaceChildren();
    $("#state").textContent = "";
  });
  $("#show-state").addEventListener("click", async () => {
    try {
      const data = await api(`/simulator/api/state?from=${encodeURIComponent(number())}`);
      $("#state").textContent = JSON.stringify(data, null, 2);
    } catch (error) { $("#state").textContent = `Error: ${error.message}`; }
  });
});
