// Draws the page from the snapshot in #data, then from each snapshot the live stream sends.
// Every value from the server goes into the page as text (never as HTML), and only this
// server's files and data URLs are ever shown as images: the page loads nothing from elsewhere.
"use strict";

const app = document.getElementById("app");
const view = document.body.dataset.view;
const origin = window.location.origin;

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") element.className = value;
    else element.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function when(iso) {
  if (!iso) return "—";
  const moment = new Date(iso);
  return moment.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

function seconds(value) {
  if (value === null || value === undefined) return "—";
  return value < 10 ? `${value.toFixed(2)} s` : `${value.toFixed(1)} s`;
}

function ownFile(url) {
  return typeof url === "string" && url.startsWith(origin + "/");
}

function isUrl(value) {
  return typeof value === "string" && /^(https?:\/\/|data:)/.test(value);
}

function imageUrl(value, files) {
  if (typeof value !== "string") return false;
  if (value.startsWith("data:image/")) return true;
  return ownFile(value) && (files[value] || "").startsWith("image/");
}

function fileLink(value, files) {
  if (value.startsWith("data:")) {
    const type = value.slice(5, value.indexOf(/[;,]/.exec(value)?.[0] || ","));
    return h("span", { class: "mono" }, `data URL (${type || "text/plain"}, ${value.length} characters)`);
  }
  const name = value.split("/").pop() || value;
  const type = files[value] ? ` (${files[value]})` : "";
  return h("span", null, h("a", { href: value, target: "_blank", rel: "noreferrer" }, name), type);
}

function renderValue(value, files, depth = 0) {
  if (imageUrl(value, files)) {
    return h("a", { href: value.startsWith("data:") ? null : value, target: "_blank" },
      h("img", { class: depth ? "thumb" : null, src: value, alt: "output image" }));
  }
  if (isUrl(value)) return fileLink(value, files);
  if (typeof value === "string") return h("pre", { class: "output-text" }, value);
  if (value === null || typeof value !== "object" || depth > 6) {
    return h("pre", null, JSON.stringify(value));
  }
  if (Array.isArray(value)) {
    if (value.length && value.every((item) => imageUrl(item, files))) {
      return h("div", { class: "images" }, value.map((item) => renderValue(item, files, depth + 1)));
    }
    return h("table", null, value.map((item, index) =>
      h("tr", null, h("td", { class: "key" }, String(index)), h("td", null, renderValue(item, files, depth + 1)))));
  }
  return h("table", null, Object.entries(value).map(([key, item]) =>
    h("tr", null, h("td", { class: "key" }, key), h("td", null, renderValue(item, files, depth + 1)))));
}

function renderInput(input, files) {
  const entries = Object.entries(input || {});
  if (!entries.length) return h("p", { class: "empty" }, "No input.");
  return h("table", null, entries.map(([key, value]) => h("tr", null,
    h("td", { class: "key" }, key),
    h("td", null, imageUrl(value, files)
      ? h("img", { class: "thumb", src: value, alt: key })
      : isUrl(value) ? fileLink(value, files)
      : h("code", null, typeof value === "string" ? value : JSON.stringify(value))))));
}

function visibleLogs(logs) {
  // A tqdm bar redrawn with carriage returns shows its last state, as a terminal would.
  return (logs || "").split("\n").map((line) => line.split("\r").filter(Boolean).pop() || "").join("\n");
}

function renderOutput(snapshot) {
  const job = snapshot.job;
  let output = job.output;
  if (output === null || output === undefined) {
    return h("p", { class: "empty" }, job.status === "succeeded" ? "No output." : "No output yet.");
  }
  if (snapshot.display === "concatenate" && Array.isArray(output)) output = output.join("");
  return renderValue(output, snapshot.files);
}

function renderTimes(job) {
  const metrics = job.metrics || {};
  let running = null;
  if (!job.completed_at && job.created_at) {
    running = (Date.now() - new Date(job.created_at).getTime()) / 1000;
  }
  const item = (label, value, id) => h("div", { id }, h("span", null, label), value);
  return h("div", { class: "times" },
    item("Created", when(job.created_at)),
    item("Started", when(job.started_at)),
    item("Completed", when(job.completed_at)),
    item("Predict time", seconds(metrics.predict_time)),
    item("Total time", running === null ? seconds(metrics.total_time) : `${seconds(running)} so far`, "total-time"));
}

function renderWebhooks(snapshot) {
  const job = snapshot.job;
  if (!job.webhook) return null;
  const rows = snapshot.webhooks.map((delivery) => h("tr", null,
    h("td", null, new Date(delivery.at * 1000).toLocaleTimeString()),
    h("td", null, delivery.event),
    h("td", null, String(delivery.attempts)),
    h("td", { class: delivery.status_code >= 200 && delivery.status_code < 300 ? null : "failed" },
      delivery.status_code !== null ? String(delivery.status_code) : delivery.error)));
  return h("section", { class: "card", id: "webhooks" },
    h("h2", null, "Webhook deliveries"),
    h("p", { class: "sub" }, `${job.webhook} · events: ${(job.webhook_events_filter || []).join(", ")}`),
    rows.length
      ? h("table", null, h("tr", null, h("th", null, "At"), h("th", null, "Event"), h("th", null, "Attempts"), h("th", null, "Last answer")), rows)
      : h("p", { class: "empty" }, "None sent yet."));
}

function renderJob(snapshot) {
  const job = snapshot.job;
  const logs = h("pre", { class: "logs", id: "logs" }, visibleLogs(job.logs) || "No logs yet.");
  const progress = snapshot.progress;
  const pieces = [
    h("h1", null, job.model, " ", h("span", { class: `status ${job.status}`, id: "status" }, job.status)),
    h("p", { class: "sub" },
      `${snapshot.kind === "training" ? "Training" : "Prediction"} `, h("code", null, job.id),
      " · version ", h("code", { title: job.version }, (job.version || "").slice(0, 12)),
      job.destination ? ` · destination ${job.destination}` : "",
      " · ", h("a", { href: job.urls.get }, "API")),
  ];
  if (job.error) {
    pieces.push(h("section", { class: "card error", id: "error" }, h("h2", null, "Error"), h("pre", null, job.error)));
  }
  pieces.push(h("div", { class: "grid" },
    h("section", { class: "card", id: "input" }, h("h2", null, "Input"), renderInput(job.input, snapshot.files)),
    h("section", { class: "card", id: "output" }, h("h2", null, "Output"), renderOutput(snapshot))));
  pieces.push(h("section", { class: "card", id: "logs-card" },
    h("h2", null, "Logs"),
    progress ? h("div", { class: "progress", id: "progress" },
      h("progress", { max: String(progress.total), value: String(progress.current) }),
      h("span", null, `${progress.current}/${progress.total} (${Math.round(progress.percentage * 100)}%)`)) : null,
    logs));
  pieces.push(h("section", { class: "card" }, h("h2", null, "Timing"), renderTimes(job)));
  pieces.push(renderWebhooks(snapshot));
  const previous = document.getElementById("logs");
  const atBottom = !previous || previous.scrollTop + previous.clientHeight >= previous.scrollHeight - 4;
  app.replaceChildren(...pieces.filter(Boolean));
  if (atBottom) logs.scrollTop = logs.scrollHeight;
  document.title = `${job.status} · ${job.model} · ${job.id}`;
}

function renderList(snapshot) {
  const rows = snapshot.jobs.map((job) => h("tr", null,
    h("td", null, h("a", { href: job.web }, job.id), h("div", { class: "kind" }, job.kind)),
    h("td", null, job.model),
    h("td", null, h("span", { class: `status ${job.status}` }, job.status)),
    h("td", null, when(job.created_at)),
    h("td", null, seconds(job.metrics.total_time))));
  app.replaceChildren(
    h("h1", null, "Recent predictions and trainings"),
    h("p", { class: "sub" }, `${snapshot.total} in all, newest first · ${snapshot.models} models · API at `, h("code", null, snapshot.api)),
    h("section", { class: "card list" }, rows.length
      ? h("table", { id: "jobs" }, h("tr", null, h("th", null, "Id"), h("th", null, "Model"), h("th", null, "Status"), h("th", null, "Created"), h("th", null, "Total time")), rows)
      : h("p", { class: "empty" }, "Nothing yet: run a model and it shows here.")));
}

function renderMissing(snapshot) {
  app.replaceChildren(h("h1", null, "No such prediction"),
    h("p", { class: "sub" }, `This server has no prediction or training ${snapshot.missing} (a reset forgets them).`),
    h("p", null, h("a", { href: "/" }, "Recent predictions and trainings")));
}

const draw = { job: renderJob, list: renderList, missing: renderMissing }[view];
let current = JSON.parse(document.getElementById("data").textContent);
draw(current);

// The running time ticks between snapshots.
setInterval(() => {
  if (view === "job" && current.job && !current.job.completed_at) {
    const cell = document.getElementById("total-time");
    if (cell) cell.replaceWith(renderTimes(current.job).querySelector("#total-time"));
  }
}, 1000);

const live = document.body.dataset.live;
if (live && window.EventSource) {
  const indicator = document.getElementById("connection");
  const source = new EventSource(live);
  source.addEventListener("open", () => indicator.classList.add("on"));
  source.addEventListener("error", () => indicator.classList.remove("on"));
  source.addEventListener("snapshot", (event) => {
    current = JSON.parse(event.data);
    draw(current);
  });
} else {
  document.getElementById("connection").hidden = true;
}
