// redactor review: one call's page. Plain JavaScript, no library, no request beyond this
// site's own files. The call's data (redacted words, bleeps, peaks) is in #call-data.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("call-data").textContent);
  const app = document.getElementById("app");
  const ZOOMS = [5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600];
  const STORE_KEY = "redactor-review:" + (data.input_sha256 || data.id);
  const duration = Math.max(data.duration, 0.001);
  const channels = data.peaks.channels.map(decodePeaks);
  const regions = data.regions.map((r, i) => Object.assign({ index: i }, r));

  // What the reviewer says, kept in the browser between visits (localStorage).
  const state = loadState();
  let selected = -1; // index of the selected region
  let selection = null; // {start, end}: a stretch chosen for a "missed PII" mark
  let view = { start: 0, span: Math.min(duration, 30) };

  function decodePeaks(text) {
    const raw = atob(text);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function loadState() {
    try {
      const saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (saved && Array.isArray(saved.notPii) && Array.isArray(saved.missed)) return saved;
    } catch (e) {
      /* storage unavailable or unreadable: start afresh */
    }
    return { notPii: [], missed: [] };
  }

  function saveState() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) {
      /* storage unavailable: the marks live until the page closes */
    }
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function clock(t) {
    const s = Math.max(0, t);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = (s % 60).toFixed(1).padStart(4, "0");
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + sec;
  }

  // ---- the page ----------------------------------------------------------------------
  const player = el("audio", { id: "player", controls: "", preload: "metadata", src: data.audio });
  const timeLabel = el("span", { id: "time", text: clock(0) });
  const typeSelect = el("select", { id: "missed-type", title: "Type of the PII heard" });
  for (const type of data.missed_types) typeSelect.append(el("option", { value: type, text: type }));
  typeSelect.addEventListener("change", () => typeSelect.blur()); // back to the shortcuts
  const overview = el("canvas", { id: "overview", height: "48" });
  const detailCanvas = el("canvas", { id: "detail-canvas" });
  const detail = el("div", { id: "detail" }, detailCanvas);
  const playhead = el("div", { class: "playhead" });
  const selectionBox = el("div", { class: "selection", hidden: "" });
  detail.append(selectionBox, playhead);
  const regionList = el("tbody");
  const markList = el("tbody");
  const transcript = el("div", { id: "transcript", class: "pane" });
  const regionPane = el("div", { id: "region-pane", class: "pane" });
  const help = el(
    "dialog",
    { id: "help" },
    el("h2", { text: "Keyboard" }),
    el(
      "table",
      {},
      ...[
        ["Space", "play / pause"],
        ["\u2190 \u2192", "back / forward 5 s (with Shift: 1 s)"],
        ["n  p", "next / previous bleep or flagged stretch"],
        ["x", "the selected bleep is not PII (again: it is)"],
        ["[  ]", "start / end a stretch at the playhead (or drag on the waveform)"],
        ["m", "mark the stretch as PII heard but not bleeped"],
        ["+  -", "zoom in / out"],
        ["d", "download the feedback (a truth file for redactor eval)"],
        ["?", "this help"],
      ].map(([key, what]) => el("tr", {}, el("th", { text: key }), el("td", { text: what }))),
    ),
    el("button", { id: "help-close", text: "Close", onclick: () => help.close() }),
  );
  const bleeps = regions.filter((r) => r.kind === "bleep");
  const flagged = regions.length - bleeps.length;
  app.append(
    el(
      "header",
      {},
      el("a", { href: "../index.html", id: "back", text: "\u2190 All calls" }),
      el("h1", { text: "Call " + data.label }),
      el("p", {
        id: "facts",
        text: [
          data.language,
          clock(data.duration),
          data.channels === 1 ? "mono" : data.channels + " channels",
          "transcript " + (data.verdict || "unknown"),
          bleeps.length + " bleeps",
          flagged + " flagged",
        ].join(" \u00b7 "),
      }),
    ),
    el(
      "section",
      { id: "controls" },
      player,
      el("button", { id: "play", text: "Play / pause", onclick: togglePlay }),
      timeLabel,
      el("button", { id: "zoom-out", text: "\u2212", title: "Zoom out (-)", onclick: () => zoom(1) }),
      el("button", { id: "zoom-in", text: "+", title: "Zoom in (+)", onclick: () => zoom(-1) }),
      el("button", {
        id: "mark-start",
        text: "[",
        title: "Stretch starts here",
        onclick: () => edge("start"),
      }),
      el("button", { id: "mark-end", text: "]", title: "Stretch ends here", onclick: () => edge("end") }),
      typeSelect,
      el("button", { id: "mark-missed", text: "Missed PII (m)", onclick: markMissed }),
      el("button", { id: "download", text: "Download feedback (d)", onclick: download }),
      el("button", { id: "help-open", text: "?", title: "Keyboard shortcuts", onclick: toggleHelp }),
    ),
    overview,
    detail,
    el(
      "div",
      { id: "panes" },
      el(
        "section",
        { id: "lists" },
        el("h2", { text: "Bleeped and flagged" }),
        regionPane,
        el("h2", { text: "PII heard, not bleeped" }),
        el(
          "table",
          { id: "marks" },
          el("thead", {}, el("tr", {}, ...["From", "To", "Type", ""].map((h) => el("th", { text: h })))),
          markList,
        ),
      ),
      el("section", { id: "text" }, el("h2", { text: "Redacted transcript" }), transcript),
    ),
    help,
  );
  regionPane.append(
    el(
      "table",
      { id: "regions" },
      el(
        "thead",
        {},
        el("tr", {}, ...["", "From", "To", "What", "Ch.", "Reviewer"].map((h) => el("th", { text: h }))),
      ),
      regionList,
    ),
  );

  // ---- regions: the detail view's boxes, the list --------------------------------------
  const regionBoxes = regions.map((r) => {
    const box = el("div", {
      class: "region " + r.kind,
      "data-index": String(r.index),
      title: r.label + (r.rules ? " (" + r.rules + ")" : ""),
    });
    detail.insertBefore(box, selectionBox);
    return box;
  });

  function sameBleep(m, r) {
    return (
      m.start === r.start &&
      m.end === r.end &&
      m.label === r.label &&
      (m.channel ?? null) === (r.channel ?? null)
    );
  }

  function isNotPii(r) {
    return state.notPii.some((m) => sameBleep(m, r));
  }

  function toggleNotPii(index) {
    const r = regions[index];
    if (!r || r.kind !== "bleep") return;
    if (isNotPii(r)) {
      state.notPii = state.notPii.filter((m) => !sameBleep(m, r));
    } else {
      state.notPii.push({ start: r.start, end: r.end, label: r.label, channel: r.channel ?? null });
    }
    saveState();
    renderLists();
    draw();
  }

  function renderLists() {
    regionList.replaceChildren(
      ...regions.map((r) => {
        const verdict =
          r.kind === "bleep"
            ? el("button", {
                class: "verdict-toggle",
                text: isNotPii(r) ? "not PII" : "PII",
                title: "x: not PII / PII",
                onclick: (event) => {
                  event.stopPropagation();
                  toggleNotPii(r.index);
                },
              })
            : el("span", { text: "flagged, not bleeped" });
        const row = el(
          "tr",
          {
            class: "region-row " + r.kind + (r.index === selected ? " selected" : ""),
            "data-index": String(r.index),
          },
          el("td", { text: String(r.index + 1) }),
          el("td", { text: clock(r.start) }),
          el("td", { text: clock(r.end) }),
          el("td", { text: r.label + (r.rules ? " (" + r.rules + ")" : "") }),
          el("td", { text: r.channel === null || r.channel === undefined ? "both" : String(r.channel) }),
          el("td", {}, verdict),
        );
        row.addEventListener("click", () => goToRegion(r.index));
        return row;
      }),
    );
    markList.replaceChildren(
      ...state.missed.map((m, i) =>
        el(
          "tr",
          { class: "mark-row" },
          el("td", { text: clock(m.start) }),
          el("td", { text: clock(m.end) }),
          el("td", { text: m.type }),
          el("td", {}, el("button", { text: "Remove", onclick: () => removeMark(i) })),
        ),
      ),
    );
  }

  function removeMark(i) {
    state.missed.splice(i, 1);
    saveState();
    renderLists();
    draw();
  }

  // ---- the transcript --------------------------------------------------------------------
  const wordNodes = [];
  (function renderTranscript() {
    let line = null;
    let last = null;
    const fragment = document.createDocumentFragment();
    data.words.forEach(([start, end, text, channel, redacted], i) => {
      // The words of an entity after its tag are empty or punctuation: they join the tag.
      const previous = wordNodes[wordNodes.length - 1];
      const joins = redacted && last && last[4] && channel === last[3] && start - last[1] <= 1.5;
      if (previous && !/[\p{L}\p{N}<]/u.test(text) && (joins || (redacted && text === ""))) {
        previous.textContent += text;
        wordNodes.push(previous);
        last = [start, end, text, channel, redacted];
        return;
      }
      const newTurn = !last || channel !== last[3] || start - last[1] > 1.5;
      if (newTurn) {
        line = el("p", { class: "turn" });
        if (data.channels > 1 && channel >= 0)
          line.append(el("span", { class: "speaker", text: "Channel " + channel }));
        fragment.append(line);
      }
      const node = el("span", {
        class: "word" + (redacted ? " redacted" : ""),
        "data-index": String(i),
        text: text,
      });
      node.addEventListener("click", () => {
        seek(start);
        player.play().catch(() => {});
      });
      line.append(node, " ");
      wordNodes.push(node);
      last = [start, end, text, channel, redacted];
    });
    transcript.append(fragment);
  })();

  let currentWord = -1;
  function highlightWord(t) {
    // the last word that starts at or before t (words are in time order per channel)
    let lo = 0;
    let hi = data.words.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (data.words[mid][0] <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found >= 0 && t > data.words[found][1] + 0.3) found = -1;
    if (found === currentWord) return;
    if (found >= 0 && currentWord >= 0 && wordNodes[found] === wordNodes[currentWord]) {
      currentWord = found;
      return;
    }
    if (currentWord >= 0) wordNodes[currentWord].classList.remove("current");
    currentWord = found;
    if (found >= 0) {
      wordNodes[found].classList.add("current");
      keepInView(transcript, wordNodes[found]);
    }
  }

  function keepInView(pane, node) {
    // scroll the pane alone (not the page, which holds the player) to show node
    const box = pane.getBoundingClientRect();
    const at = node.getBoundingClientRect();
    if (at.top < box.top || at.bottom > box.bottom) {
      pane.scrollTop += at.top - box.top - pane.clientHeight / 3;
    }
  }

  // ---- drawing ---------------------------------------------------------------------------
  function peakAt(channel, from, to) {
    // largest peak between two times, in 0..1
    const per = data.peaks.per_second;
    const a = Math.max(0, Math.floor(from * per));
    const b = Math.min(channel.length, Math.max(a + 1, Math.ceil(to * per)));
    let top = 0;
    for (let i = a; i < b; i++) if (channel[i] > top) top = channel[i];
    return top / 255;
  }

  function fitCanvas(canvas, height) {
    const width = Math.max(100, canvas.parentElement.clientWidth);
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = width + "px";
      canvas.style.height = height + "px";
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return [ctx, width, height];
  }

  function drawWave(ctx, width, height, from, to) {
    const lanes = channels.length;
    const lane = height / lanes;
    ctx.fillStyle = "#2f4f6f";
    channels.forEach((channel, c) => {
      const middle = lane * c + lane / 2;
      for (let x = 0; x < width; x++) {
        const t0 = from + ((to - from) * x) / width;
        const t1 = from + ((to - from) * (x + 1)) / width;
        const h = Math.max(0.5, (peakAt(channel, t0, t1) * lane) / 2 - 1);
        ctx.fillRect(x, middle - h, 1, 2 * h);
      }
      if (c > 0) {
        ctx.fillStyle = "#999";
        ctx.fillRect(0, lane * c, width, 1);
        ctx.fillStyle = "#2f4f6f";
      }
    });
  }

  function laneOf(channel, height) {
    const lanes = channels.length;
    if (channel === null || channel === undefined || channel < 0 || channel >= lanes) return [0, height];
    return [(height / lanes) * channel, height / lanes];
  }

  function colour(r) {
    if (r.kind === "flag") return "rgba(230, 160, 0, 0.35)";
    return isNotPii(r) ? "rgba(120, 120, 120, 0.30)" : "rgba(220, 30, 30, 0.30)";
  }

  // The overview's waveform and stretches are drawn once per change (an hour of stereo is
  // 360,000 peaks); each frame of playback only copies them and adds the playhead.
  let overviewLayer = null;

  function drawOverview(rebuild) {
    const [ctx, width, height] = fitCanvas(overview, 48);
    if (rebuild || !overviewLayer || overviewLayer.width !== overview.width) {
      overviewLayer = document.createElement("canvas");
      overviewLayer.width = overview.width;
      overviewLayer.height = overview.height;
      const layer = overviewLayer.getContext("2d");
      layer.setTransform(overview.width / width, 0, 0, overview.height / height, 0, 0);
      for (const r of regions) {
        const [top, h] = laneOf(r.channel, height);
        layer.fillStyle = colour(r);
        layer.fillRect(
          (r.start / duration) * width,
          top,
          Math.max(1, ((r.end - r.start) / duration) * width),
          h,
        );
      }
      layer.fillStyle = "rgba(30, 90, 220, 0.35)";
      for (const m of state.missed) {
        layer.fillRect(
          (m.start / duration) * width,
          0,
          Math.max(1, ((m.end - m.start) / duration) * width),
          height,
        );
      }
      drawWave(layer, width, height, 0, duration);
    }
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(overviewLayer, 0, 0, width, height);
    ctx.strokeStyle = "#000";
    ctx.strokeRect(
      (view.start / duration) * width + 0.5,
      0.5,
      Math.max(2, (view.span / duration) * width - 1),
      height - 1,
    );
    ctx.fillStyle = "#d00";
    ctx.fillRect((player.currentTime / duration) * width, 0, 1, height);
  }

  function xOf(t, width) {
    return ((t - view.start) / view.span) * width;
  }

  function place(node, start, end, width, top, height) {
    const a = Math.max(0, xOf(start, width));
    const b = Math.min(width, xOf(end, width));
    if (b <= 0 || a >= width || end <= start) {
      node.hidden = true;
      return;
    }
    node.hidden = false;
    node.style.left = a + "px";
    node.style.width = Math.max(2, b - a) + "px";
    node.style.top = top + "px";
    node.style.height = height + "px";
  }

  function drawDetail() {
    const height = 90 * channels.length;
    const [ctx, width] = fitCanvas(detailCanvas, height);
    detail.style.height = height + "px";
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "rgba(30, 90, 220, 0.30)";
    for (const m of state.missed) {
      const a = xOf(m.start, width);
      const b = xOf(m.end, width);
      if (b > 0 && a < width) ctx.fillRect(a, 0, b - a, height);
    }
    drawWave(ctx, width, height, view.start, view.start + view.span);
    regions.forEach((r, i) => {
      const [top, h] = laneOf(r.channel, height);
      const box = regionBoxes[i];
      box.classList.toggle("not-pii", isNotPii(r));
      box.classList.toggle("selected", i === selected);
      place(box, r.start, r.end, width, top, h);
    });
    if (selection) place(selectionBox, selection.start, selection.end, width, 0, height);
    else selectionBox.hidden = true;
    place(playhead, player.currentTime, player.currentTime + view.span / width, width, 0, height);
  }

  function draw() {
    drawOverview(true);
    drawDetail();
  }

  // ---- moving around ---------------------------------------------------------------------
  function follow(t) {
    if (t < view.start || t > view.start + view.span) {
      view.start = Math.min(Math.max(0, t - view.span * 0.1), Math.max(0, duration - view.span));
    }
  }

  function seek(t) {
    const to = Math.min(Math.max(0, t), duration);
    if (selected >= 0 && (to < regions[selected].start || to >= regions[selected].end)) selected = -1;
    player.currentTime = to;
    follow(to);
    timeLabel.textContent = clock(to);
    highlightWord(to);
    drawOverview(false);
    drawDetail();
  }

  function goToRegion(index) {
    if (index < 0 || index >= regions.length) return;
    seek(regions[index].start);
    selected = index;
    renderLists();
    draw();
    const row = regionList.querySelector("tr.selected");
    if (row) keepInView(regionPane, row);
  }

  function step(direction) {
    const t = player.currentTime;
    if (selected >= 0) {
      goToRegion(selected + direction);
    } else if (direction > 0) {
      const next = regions.findIndex((r) => r.start > t + 0.01);
      goToRegion(next);
    } else {
      let previous = -1;
      regions.forEach((r, i) => {
        if (r.start < t - 0.01) previous = i;
      });
      goToRegion(previous);
    }
  }

  function zoom(direction) {
    const centre = view.start + view.span / 2;
    let i = ZOOMS.findIndex((z) => z >= view.span - 1e-6);
    if (i < 0) i = ZOOMS.length;
    i = Math.min(Math.max(0, i + direction), ZOOMS.length);
    view.span = i >= ZOOMS.length ? duration : Math.min(ZOOMS[i], duration);
    view.start = Math.min(Math.max(0, centre - view.span / 2), Math.max(0, duration - view.span));
    draw();
  }

  function togglePlay() {
    if (player.paused) player.play().catch(() => {});
    else player.pause();
  }

  function toggleHelp() {
    if (help.open) help.close();
    else help.showModal();
  }

  // ---- marks: PII heard but not bleeped ----------------------------------------------------
  function edge(which) {
    const t = player.currentTime;
    selection = selection || { start: t, end: t };
    selection[which] = t;
    if (selection.end < selection.start) {
      const other = which === "start" ? "end" : "start";
      selection[other] = t;
    }
    draw();
  }

  function markMissed() {
    if (!selection || selection.end - selection.start < 0.05) return;
    const round = (t) => Math.round(t * 1000) / 1000;
    state.missed.push({ start: round(selection.start), end: round(selection.end), type: typeSelect.value });
    state.missed.sort((a, b) => a.start - b.start);
    selection = null;
    saveState();
    renderLists();
    draw();
  }

  function timeAt(event) {
    const box = detailCanvas.getBoundingClientRect();
    return view.start + ((event.clientX - box.left) / box.width) * view.span;
  }

  // On the detail view: a drag chooses a stretch (from anywhere, a bleep included); a click
  // goes to the bleep or flagged stretch under the pointer, or seeks there.
  let dragFrom = null;
  let dragBox = -1;
  detail.addEventListener("mousedown", (event) => {
    if (event.button !== 0) return;
    dragFrom = timeAt(event);
    const box = event.target.closest(".region");
    dragBox = box ? Number(box.dataset.index) : -1;
  });
  window.addEventListener("mousemove", (event) => {
    if (dragFrom === null) return;
    const t = Math.min(Math.max(0, timeAt(event)), duration);
    if (Math.abs(t - dragFrom) > view.span / 200) {
      selection = { start: Math.min(dragFrom, t), end: Math.max(dragFrom, t) };
      drawDetail();
    }
  });
  window.addEventListener("mouseup", (event) => {
    if (dragFrom === null) return;
    const t = timeAt(event);
    if (Math.abs(t - dragFrom) <= view.span / 200) {
      selection = null;
      if (dragBox >= 0) goToRegion(dragBox);
      else seek(dragFrom);
    }
    dragFrom = null;
  });
  overview.addEventListener("click", (event) => {
    const box = overview.getBoundingClientRect();
    seek(((event.clientX - box.left) / box.width) * duration);
  });

  // ---- the feedback: a truth file (redactor.truth/1) ------------------------------------------
  function merged(spans) {
    const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
    const out = [];
    for (const [a, b] of sorted) {
      const lastSpan = out[out.length - 1];
      if (lastSpan && a <= lastSpan[1] + 0.05) lastSpan[1] = Math.max(lastSpan[1], b);
      else out.push([a, b]);
    }
    return out;
  }

  function feedback() {
    // Speech: every word, every bleeped or flagged stretch, every mark. PII: every bleep the
    // reviewer did not call "not PII", and every stretch marked as PII heard. No text, no value.
    const speech = merged(
      data.words
        .map((w) => [w[0], w[1]])
        .concat(regions.map((r) => [r.start, r.end]))
        .concat(state.missed.map((m) => [m.start, m.end])),
    );
    const pii = bleeps
      .filter((r) => !isNotPii(r))
      .map((r) => ({
        type: r.label,
        value: "",
        start: r.start,
        end: r.end,
        channel: r.channel ?? null,
        source: "bleep",
      }))
      .concat(
        state.missed.map((m) => ({
          type: m.type,
          value: "",
          start: m.start,
          end: m.end,
          channel: null,
          source: "reviewer",
        })),
      );
    pii.sort((a, b) => a.start - b.start);
    return {
      schema: "redactor.truth/1",
      made_by: "redactor review",
      audio: data.audio,
      input_sha256: data.input_sha256,
      language: data.language,
      duration: data.duration,
      pieces: speech.map(([start, end]) => ({ start: start, end: end })),
      pii: pii,
      not_pii: state.notPii.filter((m) => bleeps.some((r) => sameBleep(m, r))),
    };
  }

  function download() {
    const blob = new Blob([JSON.stringify(feedback(), null, 1) + "\n"], { type: "application/json" });
    const link = el("a", { href: URL.createObjectURL(blob), download: data.id + ".truth.json" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  // ---- keyboard ----------------------------------------------------------------------------
  // The player's own controls and the buttons would act on Space too (on key up): ours only.
  document.addEventListener(
    "keyup",
    (event) => {
      if (event.key === " " && event.target && event.target.tagName !== "SELECT") event.preventDefault();
    },
    true,
  );
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (
      target &&
      (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")
    )
      return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const big = event.shiftKey ? 1 : 5;
    const actions = {
      " ": togglePlay,
      ArrowLeft: () => seek(player.currentTime - big),
      ArrowRight: () => seek(player.currentTime + big),
      n: () => step(1),
      p: () => step(-1),
      x: () =>
        toggleNotPii(
          selected >= 0
            ? selected
            : regions.findIndex(
                (r) => r.kind === "bleep" && r.start <= player.currentTime && player.currentTime < r.end,
              ),
        ),
      "[": () => edge("start"),
      "]": () => edge("end"),
      m: markMissed,
      "+": () => zoom(-1),
      "=": () => zoom(-1),
      "-": () => zoom(1),
      d: download,
      "?": toggleHelp,
      Escape: () => {
        selection = null;
        draw();
      },
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  // ---- playback ----------------------------------------------------------------------------
  let frame = 0;
  function tick() {
    const t = player.currentTime;
    timeLabel.textContent = clock(t);
    highlightWord(t);
    const before = view.start;
    follow(t);
    drawOverview(false);
    if (view.start !== before) drawDetail();
    else {
      place(
        playhead,
        t,
        t + view.span / detailCanvas.clientWidth,
        detailCanvas.clientWidth,
        0,
        detail.clientHeight,
      );
    }
    frame = player.paused ? 0 : requestAnimationFrame(tick);
  }
  player.addEventListener("play", () => {
    if (!frame) frame = requestAnimationFrame(tick);
  });
  player.addEventListener("seeked", () => {
    if (!frame) tick(); // while playing, the running frame loop shows it
  });
  window.addEventListener("resize", draw);

  renderLists();
  draw();
  document.body.dataset.readyAt = String(Math.round(performance.now()));
  document.body.dataset.ready = "1";
})();
