// The web phone: a thin page over /simulator/api/*, which signs and drives the real webhooks.
"use strict";

const $ = (selector) => document.querySelector(selector);
let call = null; // {sid, action, redirect} while a call is up
let session = 0; // bumped by Reset: answers to an earlier session's requests are dropped
const transcript = []; // [{who, text}] in the order shown: what "Export transcript" writes
let queue = Promise.resolve();

// One request at a time, so a quick second key uses the line's latest answer and the history stays in order.
// A task queued before a Reset never runs.
function inTurn(task) {
  const mine = session;
  queue = queue.then(() => mine === session && task()).catch((error) => console.error(error));
}

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({error: response.statusText}));
  if (!response.ok) throw new Error(data.error || data.description || response.statusText);
  return data;
}

function number() { return $("#number").value.trim(); }

// One line of the thread or the call log. dir="auto" lets Arabic text run right to left;
// `who` also writes it to the transcript.
function show(list, className, text, {who, meta, lang} = {}) {
  const item = document.createElement("li");
  item.className = className;
  item.dir = "auto";
  if (lang) item.lang = lang;
  item.textContent = text;
  if (meta) {
    const small = document.createElement("span");
    small.className = "meta";
    small.dir = "ltr"; // English, kept in order inside a right-to-left bubble
    small.textContent = meta;
    item.appendChild(small);
  }
  list.appendChild(item);
  list.scrollTop = list.scrollHeight; // scroll the list, not the page
  if (who) transcript.push({who, text});
}

function cost(text, encoding, segments) {
  return `${encoding} · ${segments === 1 ? "1 segment" : `${segments} segments`} · ${text.length} characters`;
}

async function sendText(body, picture) {
  const mine = session;
  show($("#thread"), "out", picture ? "[picture]" : body || "(empty message)", {who: "You (text)"});
  try {
    const data = await api("/simulator/api/sms", {from: number(), body, picture});
    if (mine !== session) return;
    if (!data.messages.length) show($("#thread"), "in", "(no reply: nothing is sent)", {who: "Line (text)"});
    for (const message of data.messages) {
      show($("#thread"), "in", message.text,
           {who: "Line (text)", meta: cost(message.text, message.encoding, message.segments)});
    }
  } catch (error) {
    if (mine === session) show($("#thread"), "in", `Error: ${error.message}`, {who: "Web phone"});
  }
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
  const log = $("#call-log");
  for (const prompt of step.prompts) show(log, "heard", prompt.text, {who: "Line (call)", lang: prompt.language});
  for (const play of step.plays) show(log, "heard", `[recording: ${play}]`, {who: "Line (call)"});
  speak(step.prompts);
  for (const text of data.texts || []) {
    show(log, "sms", `Text message that would be sent (${text.node_id}, ${text.lang}):\n\n`
                     + text.messages.join("\n---\n"));
    // The caller's phone would get it as a text: show it in the thread too, once in the transcript.
    text.messages.forEach((message, index) => {
      const {encoding, segments} = text.counts[index];
      const meta = `Sent from the call · ${cost(message, encoding, segments)}`;
      show($("#thread"), "in from-call", message, {who: "Line (text sent from the call)", meta});
    });
  }
  if (step.hung_up || !step.listening) {
    $("#call-status").textContent = step.dialled ? `The line is transferring the call to ${step.dialled}.` : "The line hung up.";
    // The transcript names no number, not even the transfer one.
    show(log, "event", step.dialled ? "The line transfers the call to a person." : "The line hung up.",
         {who: "Call"});
    call = null;
  } else {
    call = {sid: data.call_sid, action: step.action, redirect: step.redirect};
    $("#call-status").textContent = `In a call. Listening for a key or words (${step.speech_language}).`;
  }
}

const DONE = {
  dial: () => "You called the line.",
  press: (key) => `You pressed ${key}.`,
  say: (words) => `You said “${words}”.`,
  silence: () => "You stayed silent.",
};

async function callAction(action, value) {
  if (action !== "dial" && !call) { $("#call-status").textContent = "Not in a call: press “Call the line”."; return; }
  const mine = session;
  if (action === "dial") $("#call-log").replaceChildren(); // the view is this call; the transcript keeps every call
  show($("#call-log"), "you", DONE[action](value), {who: "You (call)"});
  try {
    const data = await api("/simulator/api/call", {
      from: number(), action, value, call_sid: call && call.sid,
      action_url: call && call.action, redirect_url: call && call.redirect,
    });
    if (mine === session) showStep(data);
  } catch (error) {
    if (mine === session) $("#call-status").textContent = `Error: ${error.message}`;
  }
}

async function showState() {
  try {
    const data = await api(`/simulator/api/state?from=${encodeURIComponent(number())}`);
    $("#state").textContent = JSON.stringify(data, null, 2);
    return data;
  } catch (error) {
    $("#state").textContent = `Error: ${error.message}`;
    return null;
  }
}

function fictionalNumber() {
  return "+1555" + String(1000000 + crypto.getRandomValues(new Uint32Array(1))[0] % 9000000);
}

async function reset() {
  session += 1;
  call = null;
  if ("speechSynthesis" in window) window.speechSynthesis.cancel();
  transcript.length = 0;
  $("#thread").replaceChildren();
  $("#call-log").replaceChildren();
  $("#call-status").textContent = "Not in a call.";
  // A number the line has never seen starts with an empty state; show it, to be sure.
  for (let tries = 0; tries < 5; tries++) {
    $("#number").value = fictionalNumber();
    const data = await showState();
    if (!data || !data.known) break;
  }
}

function exportTranscript() {
  const lines = ["Infoline web phone transcript (simulated: nothing was sent to a real phone)",
                 `Exported ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`, ""];
  if (!transcript.length) lines.push("(nothing yet)");
  for (const {who, text} of transcript) lines.push(`${who}: ${text.split("\n").join("\n    ")}`);
  const url = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], {type: "text/plain;charset=utf-8"}));
  const link = document.createElement("a");
  link.href = url;
  link.download = `infoline-transcript-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, "")}.txt`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000); // after the download has started
}

document.addEventListener("DOMContentLoaded", () => {
  $("#sms-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = $("#sms-body").value;
    $("#sms-body").value = "";
    inTurn(() => sendText(body, false));
  });
  $("#send-picture").addEventListener("click", () => inTurn(() => sendText("", true)));
  $("#dial").addEventListener("click", () => inTurn(() => callAction("dial")));
  $("#silent").addEventListener("click", () => inTurn(() => callAction("silence")));
  $("#hangup").addEventListener("click", () => inTurn(() => {
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
    if (call) show($("#call-log"), "you", "You hung up.", {who: "You (call)"});
    call = null;
    $("#call-status").textContent = "You hung up.";
  }));
  for (const key of document.querySelectorAll(".keypad button")) {
    key.addEventListener("click", () => inTurn(() => callAction("press", key.dataset.key)));
  }
  $("#say-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const words = $("#say-words").value;
    $("#say-words").value = "";
    if (words.trim()) inTurn(() => callAction("say", words));
  });
  $("#reset").addEventListener("click", reset);
  $("#show-state").addEventListener("click", showState);
  $("#export").addEventListener("click", exportTranscript);
});
