// Graph view of a resource's neighbourhood (cytoscape.js, served from /static/vendor/).
// The data is embedded in the page (#graph-data); each node opens its page.
"use strict";

(() => {
  const holder = document.getElementById("graph");
  const data = document.getElementById("graph-data");
  if (!holder || !data || typeof cytoscape !== "function") return;
  const graph = JSON.parse(data.textContent);
  const pageUrl = data.dataset.pageUrl;
  const colours = {
    instrument: "#0b5cad", provision: "#4a5560", concept: "#1f7a3a", practice: "#8a4b08",
    body: "#6b3fa0", document: "#2b6c80", passage: "#2b6c80", commitment: "#8c2f5b", other: "#59636e",
  };
  const elements = [
    ...graph.nodes.map((n) => ({
      data: { id: n.id, label: n.label, kind: n.kind, url: n.path ? pageUrl.replace("__path__", n.path) : null },
      classes: n.focus ? "focus" : "",
    })),
    ...graph.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, label: e.label } })),
  ];
  const dense = graph.nodes.length > 20;
  const ring = { provision: 1, passage: 1, concept: 2 };
  const cy = cytoscape({
    container: holder,
    elements,
    minZoom: 0.3,
    maxZoom: 1.4,
    // the resource in the middle; rings by kind: other resources, concepts, provisions
    layout: {
      name: "concentric",
      concentric: (n) => (n.hasClass("focus") ? 9 : dense ? ring[n.data("kind")] ?? 3 : 1),
      levelWidth: () => 1,
      minNodeSpacing: dense ? 34 : 60,
      padding: 20,
      animate: false,
    },
    style: [
      { selector: "node", style: {
        label: "data(label)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 130,
        "text-valign": "bottom", "text-margin-y": 4, color: "#1b1f24",
        "background-color": (n) => colours[n.data("kind")] || colours.other, width: 18, height: 18 } },
      { selector: "node.focus", style: { width: 30, height: 30, "font-weight": "bold", "border-width": 3, "border-color": "#f5a623" } },
      { selector: "node[url]", style: { shape: "ellipse" } },
      { selector: "edge", style: {
        width: 1.5, "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1", "target-arrow-shape": "triangle",
        "curve-style": "bezier", label: dense ? "" : "data(label)", "font-size": 9, color: "#4a5560", "text-rotation": "autorotate",
        "text-background-color": "#ffffff", "text-background-opacity": 1 } },
    ],
  });
  cy.on("tap", "node", (event) => {
    const url = event.target.data("url");
    if (url && !event.target.hasClass("focus")) window.location.assign(url);
  });
  cy.on("mouseover", "edge", (event) => event.target.style("label", event.target.data("label")));
  cy.on("mouseout", "edge", (event) => { if (dense) event.target.style("label", ""); });
  cy.on("mouseover", "node[url]", () => { holder.style.cursor = "pointer"; });
  cy.on("mouseout", "node", () => { holder.style.cursor = ""; });
  holder.dataset.ready = String(cy.nodes().length);
  window.normgraphGraph = cy;
})();
