// normgraph pages: progressive enhancement only. Every page works without this file.
// - copy buttons (IRI), the language switch submitting itself;
// - search: autocomplete from /api/suggest (ARIA combobox), results and facets refreshed
//   in place from the server-rendered page (history kept in the URL), no layout shift.
"use strict";

(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  // ------------------------------------------------------------ copy buttons
  for (const button of $$("button.copy")) {
    button.addEventListener("click", async () => {
      const field = $(button.dataset.copy);
      const status = button.parentElement.querySelector(".copied");
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = "Copied";
      } catch {
        field.select();
        status.textContent = "Selected: press Ctrl+C to copy";
      }
      setTimeout(() => { status.textContent = ""; }, 3000);
    });
  }

  // ------------------------------------------------------------ language switch
  for (const select of $$("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }

  const form = $("#search-form");
  if (!form) return;

  // ------------------------------------------------------------ results in place
  const results = $("#results");
  const facets = $("#facets");
  let pending = null;

  async function show(url, push = true) {
    if (pending) pending.abort();
    pending = new AbortController();
    results.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, {
        headers: { Accept: "text/html" },
        signal: pending.signal,
      });
      const html = await response.text();
      const doc = new DOMParser().parseFromString(html, "text/html");
      const freshResults = $("#results", doc);
      const freshFacets = $("#facets", doc);
      if (!freshResults) {
        window.location.assign(url);
        return;
      }
      // keep the height while swapping, so nothing below jumps
      results.style.minHeight = `${results.offsetHeight}px`;
      results.innerHTML = freshResults.innerHTML;
      facets.innerHTML = freshFacets ? freshFacets.innerHTML : "";
      requestAnimationFrame(() => { results.style.minHeight = ""; });
      document.title = doc.title;
      if (push) history.pushState({ url }, "", url);
    } catch (error) {
      if (error.name !== "AbortError") window.location.assign(url);
    } finally {
      results.removeAttribute("aria-busy");
    }
  }

  function formUrl() {
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of Array.from(params.entries())) {
      if (value === "") params.delete(key, value);
    }
    return `${form.action}?${params}`;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    closeList();
    show(formUrl());
  });
  facets.addEventListener("change", (event) => {
    const box = event.target.closest("input[type=checkbox][data-toggle]");
    if (box) show(box.dataset.toggle);
  });
  results.addEventListener("click", (event) => {
    const a = event.target.closest(".pagination a");
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    show(a.href).then(() => $("#results-h")?.focus({ preventScroll: false }));
  });
  window.addEventListener("popstate", () => show(window.location.href, false));
  $("#results-h")?.setAttribute("tabindex", "-1");

  // ------------------------------------------------------------ autocomplete
  const input = $("#q");
  const list = $("#suggestions");
  let active = -1;
  let timer = null;

  function options() { return $$("[role=option]", list); }
  function closeList() {
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function mark(index) {
    const items = options();
    items.forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
    else input.removeAttribute("aria-activedescendant");
  }
  function choose(item) {
    input.value = item.dataset.label;
    closeList();
    show(formUrl());
  }
  async function suggest() {
    const text = input.value.trim();
    if (text.length < 2) { closeList(); return; }
    const url = `${input.dataset.suggest}?${new URLSearchParams({ q: text, limit: 8, lang: input.dataset.lang })}`;
    let found = [];
    try {
      const response = await fetch(url);
      if (response.ok) found = (await response.json()).suggestions;
    } catch { /* no suggestions is fine */ }
    if (input.value.trim() !== text) return;
    list.innerHTML = "";
    found.forEach((s, i) => {
      const li = document.createElement("li");
      li.id = `suggestion-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.label = s.label;
      const label = document.createElement("span");
      label.textContent = s.label;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = s.kind;
      li.append(label, " ", kind);
      li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(li); });
      list.append(li);
    });
    list.hidden = found.length === 0;
    input.setAttribute("aria-expanded", String(found.length > 0));
    active = -1;
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", (event) => {
    const items = options();
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      mark((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      mark(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === "Escape") {
      closeList();
    }
  });
  input.addEventListener("blur", () => setTimeout(closeList, 100));
})();
