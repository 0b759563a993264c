// The upload page: talks to the JSON API and draws the release. Every piece of data goes into the page
// through textContent or attributes, never as HTML, so a document cannot inject markup.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  // The review lives here, in the tab: every request sends the document and all overrides again.
  const state = { policies: [], defaultPolicy: "", release: null, lastForm: null, overrides: [], described: [],
                  selection: "" };

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("data-")) node.setAttribute(key, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // Exemption codes B1..B9 get a colour each; reasons such as 1.4(D) ride along with their B code.
  function codeClass(codes) {
    const primary = (codes || []).find((c) => /^B\d$/i.test(c));
    return primary ? "code-" + primary.toLowerCase() : "code-other";
  }

  function headers() {
    const key = $("api-key").value.trim();
    return key ? { Authorization: "Bearer " + key } : {};
  }

  async function problemText(resp) {
    try {
      const body = await resp.json();
      return (body.title || resp.statusText) + (body.detail ? ": " + body.detail : "");
    } catch (_) {
      return resp.status + " " + resp.statusText;
    }
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.classList.toggle("hidden", !message);
  }

  // ------------------------------------------------------------------------------------- policies
  async function loadPolicies() {
    const resp = await fetch("/v1/policies", { headers: headers() });
    if (resp.status === 401) {
      $("key-row").classList.remove("hidden");
      showError("This service needs an API key. Enter it, then choose a policy.");
      return;
    }
    if (!resp.ok) { showError(await problemText(resp)); return; }
    const body = await resp.json();
    state.policies = body.policies.filter((p) => !p.error);
    state.defaultPolicy = body.default;
    const select = $("policy");
    clear(select);
    for (const p of state.policies) {
      select.append(el("option", { value: p.name, selected: p.name === body.default ? "selected" : null,
                                   text: p.name }));
    }
    fillLevels();
    showError("");
  }

  function fillLevels() {
    const policy = state.policies.find((p) => p.name === $("policy").value);
    const select = $("level");
    clear(select);
    if (!policy) return;
    select.append(el("option", { value: "", text: "Policy default (" + policy.level + ")" }));
    for (const level of policy.levels) select.append(el("option", { value: level, text: level }));
    $("policy-desc").textContent = policy.description || "";
  }

  // --------------------------------------------------------------------------------------- submit
  function formData(format) {
    const data = new FormData();
    const file = $("file").files[0];
    if (file) data.append("file", file);
    else data.append("text", $("text").value);
    data.append("policy", $("policy").value);
    if ($("level").value) data.append("level", $("level").value);
    if ($("ocr").checked) data.append("ocr", "true");
    data.append("format", format);
    return data;
  }

  // The document and parameters of the last Redact, plus the reviewer's overrides, as one request.
  function requestData(format) {
    const form = state.lastForm;
    const data = new FormData();
    if (form.file) data.append("file", form.file); else data.append("text", form.text);
    data.append("policy", form.policy);
    if (form.level) data.append("level", form.level);
    if (form.ocr) data.append("ocr", "true");
    data.append("format", format);
    if (state.overrides.length) {
      data.append("overrides", JSON.stringify({
        fingerprint: ((state.release || {}).release || {}).fingerprint,
        reviewer: $("reviewer").value.trim(),
        overrides: state.overrides,
      }));
    }
    return data;
  }

  async function submit(event) {
    event.preventDefault();
    if (!$("file").files[0] && !$("text").value.trim()) {
      showError("Choose a file or paste the document's text first.");
      return;
    }
    showError("");
    const button = $("submit");
    button.disabled = true;
    button.textContent = "Redacting…";
    try {
      const resp = await fetch("/v1/redact?include=pages", {
        method: "POST", body: formData("json"), headers: headers() });
      if (!resp.ok) { clearRelease(); showError(await problemText(resp)); return; }
      state.release = await resp.json();
      state.lastForm = { file: $("file").files[0] || null, text: $("text").value,
                         policy: $("policy").value, level: $("level").value, ocr: $("ocr").checked };
      state.overrides = [];  // a new document or policy: a new review
      state.described = [];
      draw(state.release);
    } catch (err) {
      clearRelease();
      showError("The service could not be reached: " + err.message);
    } finally {
      button.disabled = false;
      button.textContent = "Redact";
    }
  }

  // A failed Redact leaves no earlier release on screen to be mistaken for this document's.
  function clearRelease() {
    state.release = null;
    state.lastForm = null;
    state.overrides = [];
    state.described = [];
    for (const id of ["doc", "pages", "legend", "counts", "decisions", "masked", "overrides"]) clear($(id));
    $("view-switch").classList.add("hidden");
    $("pages").classList.add("hidden");
    $("doc").classList.remove("hidden");
    clear($("summary"));
    $("summary").append(el("span", { class: "muted", text: "Upload a document to see its release." }));
    $("masked-title").classList.add("hidden");
    $("review").classList.add("hidden");
    $("download-pdf").disabled = true;
    $("download-json").disabled = true;
  }

  // ------------------------------------------------------------------------------------- download
  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name, class: "hidden" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  async function downloadPdf() {
    if (!state.lastForm) return;
    const button = $("download-pdf");
    button.disabled = true;
    try {
      const resp = await fetch("/v1/redact", { method: "POST", body: requestData("pdf"), headers: headers() });
      if (!resp.ok) { showError(await problemText(resp)); return; }
      save(await resp.blob(), "release.pdf");
    } finally {
      button.disabled = false;
    }
  }

  function downloadJson() {
    if (!state.release) return;
    const copy = Object.assign({}, state.release);
    delete copy.blocks;  // the page's layout aid; the contract JSON is the rest
    save(new Blob([JSON.stringify(copy, null, 2) + "\n"], { type: "application/json" }), "release.json");
  }

  // --------------------------------------------------------------------------------------- review
  async function redraw() {
    const resp = await fetch("/v1/redact?include=pages", {
      method: "POST", body: requestData("json"), headers: headers() });
    if (!resp.ok) return problemText(resp);
    state.release = await resp.json();
    draw(state.release);
    return "";
  }

  async function addOverride(item) {
    const reviewer = $("reviewer").value.trim();
    const justification = $("justification").value.trim();
    if (!reviewer || !justification) {
      showError("Type your name and a justification first: every change is logged with both.");
      (reviewer ? $("justification") : $("reviewer")).focus();
      return;
    }
    showError("");
    // Described now, while the release still shows what the override acts on.
    state.described.push(describeOverride(item));
    state.overrides.push(Object.assign(item, { justification: justification }));
    const problem = await redraw();
    if (problem) {
      state.overrides.pop();
      state.described.pop();
      showError(problem);
      return;
    }
    $("justification").value = "";
  }

  async function removeOverride(index) {
    const [removed] = state.overrides.splice(index, 1);
    const [described] = state.described.splice(index, 1);
    const problem = await redraw();
    if (problem) {
      state.overrides.splice(index, 0, removed);
      state.described.splice(index, 0, described);
      showError(problem);
    }
  }

  function maskSelection() {
    const term = state.selection.replace(/\s+/g, " ").trim();
    if (term.length < 2) { showError("Select some released text in the document first."); return; }
    addOverride({ action: "mask", term: term });
  }

  function trackSelection() {
    const sel = window.getSelection();
    const inside = sel && sel.rangeCount && $("doc").contains(sel.anchorNode) && $("doc").contains(sel.focusNode);
    state.selection = inside ? sel.toString() : "";
    $("mask-selection").disabled = !state.selection.trim();
  }

  // An override is named by what it acts on as the reviewer sees it: the words around a mask in the
  // released text, or the paragraph number and mark of a portion; never by an internal id alone.
  function describeOverride(o) {
    if (o.action === "mask") return "Mask everywhere: “" + o.term + "”";
    if (o.action === "release_term") return "Release everywhere: “" + o.term + "”";
    if (o.action === "mask_region") return "Withhold a drawn box on page " + o.page;
    const release = state.release || {};
    const verb = o.action === "release" ? "Release" : o.action === "withhold" ? "Withhold" : "Change codes of";
    const x = (release.redactions || []).find((r) => r.id === o.id);
    if (x) {
      const text = release.text || "";
      const before = text.slice(Math.max(0, x.start - 30), x.start).replace(/\s+/g, " ");
      const after = text.slice(x.end, x.end + 30).replace(/\s+/g, " ");
      const where = x.portion ? " in " + portionName((release.portions || []).find((p) => p.id === x.portion) || {}) : "";
      return verb + " masked " + (x.entity_type || "text") + where + ": “…" + before + text.slice(x.start, x.end) + after + "…”";
    }
    const p = (release.portions || []).find((q) => q.id === o.id);
    return verb + " " + (p ? portionName(p) + (p.mark ? " " + p.mark : "") : "portion " + o.id);
  }

  function drawOverrides() {
    const list = $("overrides");
    clear(list);
    state.overrides.forEach((o, i) => {
      list.append(el("li", { class: "decision override", "data-override": String(i) },
        el("div", { class: "decision-head" },
          el("span", { class: "portion-name", text: state.described[i] || describeOverride(o) }),
          el("button", { type: "button", class: "remove", text: "Undo", onclick: () => removeOverride(i) })),
        el("p", { class: "reason", text: o.justification })));
    });
  }

  // ----------------------------------------------------------------------------------------- draw
  function chips(codes) {
    const box = el("span", { class: "chips" });
    for (const code of codes || []) box.append(el("span", { class: "chip " + codeClass([code]), text: code }));
    return box;
  }

  function draw(release) {
    drawSummary(release);
    drawLegend(release);
    drawDocument(release);
    drawPages(release);
    drawDecisions(release);
    drawOverrides();
    $("review").classList.remove("hidden");
    $("download-pdf").disabled = false;
    $("download-json").disabled = false;
  }

  function levelClass(banner) {
    const level = (banner || "").split("//")[0].trim().toLowerCase();
    if (level.includes("top secret")) return "level-top-secret";
    for (const name of ["unclassified", "confidential", "secret"]) if (level.includes(name)) return "level-" + name;
    return "";
  }

  function drawSummary(release) {
    const r = release.release || {};
    const doc = release.document || {};
    const summary = $("summary");
    clear(summary);
    const stamp = (r.disposition || "").toLowerCase().includes("full")
      ? ((r.disposition || "").toLowerCase().includes("withheld") ? "stamp-withheld" : "stamp-full")
      : "stamp-part";
    summary.append(...[
      el("span", { class: "stamp " + stamp, text: r.disposition || "" }),
      el("span", { class: "banner-pill " + levelClass(r.banner), text: r.banner || "" }),
      doc.reference ? el("span", { class: "muted", text: doc.reference }) : null,
      el("span", { class: "muted", text: "policy " + ((release.policy || {}).name || "") + " at "
                                         + ((release.policy || {}).level || "") }),
      chips(r.codes),
    ].filter(Boolean));  // a document without a reference: append(null) would print "null"
  }

  function drawLegend(release) {
    const legend = $("legend");
    clear(legend);
    const seen = new Set();
    for (const p of release.portions || []) if (p.decision === "withhold") (p.codes || []).forEach((c) => seen.add(c));
    for (const x of release.redactions || []) (x.codes || []).forEach((c) => seen.add(c));
    const codes = [...seen].filter((c) => /^B\d$/i.test(c)).sort();
    if (!codes.length) return;
    legend.append(el("span", { class: "muted", text: "Exemptions:" }));
    for (const code of codes) legend.append(el("span", { class: "swatch " + codeClass([code]), text: code }));
  }

  function drawDocument(release) {
    const doc = $("doc");
    clear(doc);
    const byId = new Map((release.redactions || []).map((x) => [x.id, x]));
    if (Array.isArray(release.blocks)) {
      const banner = (release.release || {}).banner;
      if (banner) doc.append(el("div", { class: "block block-release-banner", text: banner }));
      for (const block of release.blocks) doc.append(drawBlock(block, byId));
      if (banner) doc.append(el("div", { class: "block block-release-banner", text: banner }));
    } else {
      doc.append(drawPlainText(release));
    }
  }

  function drawBlock(block, byId) {
    const withheld = block.kind === "withheld";
    const node = el("div", { class: "block block-" + block.kind + (withheld ? " withheld " + codeClass(block.codes) : ""),
                             "data-portion": block.portion || null,
                             "data-kind": block.kind });
    // The engine keeps a portion's number and (superseded) mark beside its runs, as the PDF prints them.
    if (block.kind === "portion" || block.kind === "withheld") {
      if (block.prefix) node.append(block.prefix);
      if (block.mark) node.append(el("s", { class: "struck", text: block.mark }), " ");
    }
    for (const run of block.runs || []) {
      if (run.redaction) {
        const x = byId.get(run.redaction) || {};
        // What the machine proposed can be released with a click; a reviewer's own mask is undone in the list.
        const proposed = x.proposed_by === "machine";
        const release = () => addOverride({ id: run.redaction, action: "release" });
        node.append(el("span", { class: "mask " + codeClass(x.codes) + (proposed ? " reviewable" : " by-reviewer"),
                                 "data-redaction": run.redaction, tabindex: proposed ? "0" : null,
                                 role: proposed ? "button" : null,
                                 title: [x.entity_type, (x.codes || []).join(" "), proposed ? "click to release" : "masked by the reviewer"]
                                   .filter(Boolean).join(" · "),
                                 onclick: proposed ? release : null,
                                 onkeydown: proposed ? (e) => { if (e.key === "Enter") release(); } : null,
                                 text: run.text }));
      } else if (run.struck) {
        node.append(el("s", { class: "struck", text: run.text }));
      } else {
        node.append(document.createTextNode(run.text));
      }
    }
    if (withheld) node.append(chips(block.codes));
    return node;
  }

  // ------------------------------------------------------------------------------- original pages
  // The release's own pages as images the server rendered from the release PDF (withheld regions burned
  // in), with its boxes laid over them: click a box to release it, drag a rectangle to withhold what it
  // touches. Box places come in PDF points from the page's bottom left; the overlay works in percent.
  function drawPages(release) {
    const pages = $("pages");
    clear(pages);
    const has = Array.isArray(release.pages) && release.pages.length > 0;
    $("view-switch").classList.toggle("hidden", !has);
    if (!has) { showView("text"); return; }
    const byId = new Map((release.redactions || []).map((x) => [x.id, x]));
    for (const page of release.pages) {
      const overlay = el("div", { class: "page-overlay", "data-page": String(page.number) });
      for (const box of page.boxes) overlay.append(pageBox(page, box, byId));
      overlay.addEventListener("pointerdown", (e) => startDrag(e, overlay, page));
      pages.append(el("div", { class: "page", "data-page": String(page.number) },
        el("img", { src: page.image, alt: "Release page " + page.number, draggable: "false" }), overlay));
    }
    showView(state.view || "pages");
  }

  // Placed through the CSSOM, not a style attribute: the page's CSP allows no inline styles.
  function place(node, left, top, width, height, unit) {
    Object.assign(node.style, { left: left + unit, top: top + unit, width: width + unit, height: height + unit });
    return node;
  }

  function pageBox(page, box, byId) {
    const x = byId.get(box.item) || {};
    const region = box.kind === "region";
    const mine = region || (box.kind === "entity" && x.proposed_by !== "machine");
    const what = box.kind === "withheld" ? "withheld portion " + box.item
      : region ? "box you drew" : (x.entity_type || "masked text");
    const act = () => {
      if (region) { removeOverride(Number(box.item.slice(1)) - 1); return; }
      if (mine) { showError("A reviewer's mask is undone in the list of changes."); return; }
      addOverride({ id: box.item, action: "release" });
    };
    const node = el("div", { class: "page-box" + (mine ? " by-reviewer" : ""),
                             role: "button", tabindex: "0",
                             "data-kind": box.kind, "data-item": box.item,
                             title: [what, (box.codes || []).join(" "), region ? "click to undo" : mine ? "" : "click to release"]
                               .filter(Boolean).join(" · "),
                             onclick: act, onkeydown: (e) => { if (e.key === "Enter") act(); } });
    node.addEventListener("pointerdown", (e) => e.stopPropagation());
    return place(node, 100 * box.x0 / page.width, 100 * (page.height - box.y1) / page.height,
                 100 * (box.x1 - box.x0) / page.width, 100 * (box.y1 - box.y0) / page.height, "%");
  }

  function startDrag(event, overlay, page) {
    if (event.button !== 0) return;
    event.preventDefault();
    const frame = overlay.getBoundingClientRect();
    const at = (e) => [Math.min(Math.max(e.clientX - frame.left, 0), frame.width),
                       Math.min(Math.max(e.clientY - frame.top, 0), frame.height)];
    const [sx, sy] = at(event);
    const band = el("div", { class: "page-drag" });
    overlay.append(band);
    const move = (e) => {
      const [x, y] = at(e);
      place(band, Math.min(x, sx), Math.min(y, sy), Math.abs(x - sx), Math.abs(y - sy), "px");
    };
    const up = (e) => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      band.remove();
      const [x, y] = at(e);
      if (Math.abs(x - sx) < 4 || Math.abs(y - sy) < 4) return;  // a click, not a rectangle
      const kx = page.width / frame.width, ky = page.height / frame.height;
      const box = [Math.min(x, sx) * kx, page.height - Math.max(y, sy) * ky,
                   Math.max(x, sx) * kx, page.height - Math.min(y, sy) * ky].map((v) => Math.round(v * 10) / 10);
      addOverride({ action: "mask_region", page: page.number, box: box });
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  function showView(view) {
    const pages = view === "pages" && !$("view-switch").classList.contains("hidden");
    $("pages").classList.toggle("hidden", !pages);
    $("doc").classList.toggle("hidden", pages);
    $("show-pages").setAttribute("aria-pressed", String(pages));
    $("show-text").setAttribute("aria-pressed", String(!pages));
  }

  // Without a layout, colour the masked spans of the plain text by their offsets.
  function drawPlainText(release) {
    const text = release.text || "";
    const node = el("div", { class: "block block-plain" });
    let pos = 0;
    const spans = [...(release.redactions || [])].sort((a, b) => a.start - b.start);
    for (const x of spans) {
      if (x.start < pos) continue;
      node.append(document.createTextNode(text.slice(pos, x.start)));
      node.append(el("span", { class: "mask " + codeClass(x.codes), title: x.entity_type,
                               text: text.slice(x.start, x.end) }));
      pos = x.end;
    }
    node.append(document.createTextNode(text.slice(pos)));
    return node;
  }

  function portionName(p) {
    if (p.kind === "subject") return "Subject";
    const number = p.number ? "¶ " + p.number : "Unnumbered";
    return p.label && p.kind !== "subject" ? number + (p.number ? "." : " ") + p.label : number;
  }

  function focusPortion(id) {
    const target = document.querySelector('#doc [data-portion="' + CSS.escape(id) + '"]');
    if (!target) return;
    target.scrollIntoView({ behavior: "smooth", block: "center" });
    target.classList.remove("flash");
    void target.offsetWidth;  // restart the animation
    target.classList.add("flash");
  }

  function drawDecisions(release) {
    const list = $("decisions");
    clear(list);
    const portions = release.portions || [];
    const withheld = portions.filter((p) => p.decision === "withhold").length;
    const counts = $("counts");
    clear(counts);
    counts.append(
      el("span", { class: "count" }, el("b", { text: String(portions.length) }), " portions"),
      el("span", { class: "count count-withhold" }, el("b", { text: String(withheld) }), " withheld"),
      el("span", { class: "count count-mask" }, el("b", { text: String((release.redactions || []).length) }),
         " masked"),
    );
    for (const p of portions) {
      const decision = p.decision === "withhold" ? "withhold" : "release";
      list.append(el("li", { class: "decision decision-" + decision, "data-portion": p.id, tabindex: "0",
                             onclick: () => focusPortion(p.id),
                             onkeydown: (e) => { if (e.key === "Enter") focusPortion(p.id); } },
        el("div", { class: "decision-head" },
          el("span", { class: "portion-name", text: portionName(p) }),
          p.mark ? el("span", { class: "mark", text: p.mark }) : el("span", { class: "mark unmarked", text: "unmarked" }),
          el("span", { class: "badge badge-" + decision, text: decision === "withhold" ? "Withhold" : "Release" }),
        ),
        el("div", { class: "decision-meta" },
          el("span", { text: (p.level || "level unknown") + (p.controls && p.controls.length ? " // " + p.controls.join("/") : "") }),
          el("span", { class: "muted", text: p.source }),
          chips(p.codes)),
        el("p", { class: "reason", text: p.reason || "" }),
      ));
    }
    const masked = $("masked");
    clear(masked);
    const redactions = release.redactions || [];
    $("masked-title").classList.toggle("hidden", !redactions.length);
    const text = release.text || "";
    for (const x of redactions) {
      masked.append(el("li", { class: "decision decision-mask" },
        el("div", { class: "decision-head" },
          el("span", { class: "portion-name", text: x.entity_type }),
          el("span", { class: "muted", text: x.portion ? "in " + x.portion : (x.field || "") }),
          chips(x.codes)),
        el("p", { class: "reason" }, "Placeholder ", el("code", { text: text.slice(x.start, x.end) }),
           typeof x.score === "number" ? " · score " + x.score.toFixed(2) : ""),
      ));
    }
  }

  // A chosen file and pasted text are never merged: while a file is chosen the text box is set aside,
  // and the page says so; clearing the file gives the text box back.
  function fileChosen() {
    const file = $("file").files[0];
    $("file-name").textContent = file ? file.name + " · " + Math.ceil(file.size / 1024) + " KB" : "";
    if (!file) $("file-name").append("or drop it here · ", el("span", { class: "formats", text: "text, cable HTML, PDF, DOCX" }));
    $("drop").classList.toggle("has-file", Boolean(file));
    $("file-row").classList.toggle("hidden", !file);
    $("text").disabled = Boolean(file);
  }

  // ------------------------------------------------------------------------------------------ init
  function init() {
    $("redact-form").addEventListener("submit", submit);
    $("policy").addEventListener("change", fillLevels);
    $("download-pdf").addEventListener("click", downloadPdf);
    $("download-json").addEventListener("click", downloadJson);
    $("mask-selection").addEventListener("click", maskSelection);
    $("show-pages").addEventListener("click", () => { state.view = "pages"; showView("pages"); });
    $("show-text").addEventListener("click", () => { state.view = "text"; showView("text"); });
    document.addEventListener("selectionchange", trackSelection);
    $("api-key").addEventListener("change", loadPolicies);
    $("file").addEventListener("change", fileChosen);
    $("clear-file").addEventListener("click", () => { $("file").value = ""; fileChosen(); });
    const drop = $("drop");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer.files.length) {
        $("file").files = e.dataTransfer.files;
        $("file").dispatchEvent(new Event("change"));
      }
    });
    loadPolicies().catch((err) => showError("Policies could not be loaded: " + err.message));
  }

  document.addEventListener("DOMContentLoaded", init);
})();
