// The SPARQL editor: YASGUI (served from /static/vendor/) preset to this endpoint,
// with no calls to other hosts (no prefix.cc, no LOV autocompletion), the worked
// examples loading into it, and download links for the query in the editor.
"use strict";

(() => {
  const holder = document.getElementById("yasgui");
  if (!holder) return;
  if (typeof Yasgui !== "function") {
    // the libraries were not built (`make vendor`): show the plain form instead
    const plain = document.querySelector(".editor noscript");
    if (plain) holder.innerHTML = plain.textContent;
    return;
  }
  const endpoint = holder.dataset.endpoint;
  const exampleText = (name) => {
    const code = document.querySelector(`#ex-${CSS.escape(name)} pre code`);
    return code ? code.textContent : "";
  };
  const first = exampleText(holder.dataset.first);
  Yasgui.Yasqe.defaults.value = first;
  const yasgui = new Yasgui(holder, {
    requestConfig: { endpoint, method: "POST", acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    persistenceId: null,
    populateFromUrl: true,
    yasqe: {
      value: first,
      prefixCcApi: null,
      autocompleters: ["prefixes", "variables"],
      editorHeight: "320px",
      resizeable: true,
    },
    yasr: { persistenceId: null, defaultPlugin: "table", pluginOrder: ["table", "response"] },
  });
  window.normgraphYasgui = yasgui;

  // YASGUI leaves a few controls without names and puts a button inside its tab list:
  // name them, and keep the one tab this page needs (examples load into it).
  const label = () => {
    for (const add of holder.querySelectorAll(".tabsList .addTab")) add.parentElement.remove();
    for (const input of holder.querySelectorAll("input.autocomplete")) input.setAttribute("aria-label", "SPARQL endpoint");
    for (const area of holder.querySelectorAll(".CodeMirror textarea")) area.setAttribute("aria-label", "SPARQL query");
    for (const input of holder.querySelectorAll(".tabsList input")) input.setAttribute("aria-label", "Tab name");
    for (const select of holder.querySelectorAll("select.tableSizer")) select.setAttribute("aria-label", "Rows per page");
  };
  label();
  yasgui.on("tabChange", label);
  yasgui.on("tabAdd", label);

  // results start in YASR's "simple view" (values without datatypes and brackets)
  let simple = false;
  yasgui.on("queryResponse", () => {
    setTimeout(() => {
      label();
      const box = holder.querySelector(".yasr .tableControls label.switch input[type=checkbox]");
      if (!simple && box && !box.checked) box.click();
      simple = true;
    }, 0);
  });

  const tab = () => yasgui.getTab();
  const downloads = document.getElementById("downloads");
  const refreshDownloads = () => {
    const query = tab().getYasqe().getValue();
    for (const a of downloads.querySelectorAll("a[data-format]")) {
      a.href = `${endpoint}?${new URLSearchParams({ query, format: a.dataset.format })}`;
      a.setAttribute("download", `results.${a.dataset.format}`);
    }
  };
  downloads.hidden = false;
  refreshDownloads();
  yasgui.on("tabChange", refreshDownloads);
  yasgui.on("query", refreshDownloads);
  tab().getYasqe().on("change", refreshDownloads);

  for (const button of document.querySelectorAll("button.load-example")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const yasqe = tab().getYasqe();
      yasqe.setValue(exampleText(button.dataset.example));
      refreshDownloads();
      yasqe.query();
      holder.scrollIntoView({ behavior: "smooth", block: "start" });
    });
  }
})();
