/* The related-findings page: the graph is inlined as JSON (#peel-data) with its layout
 * precomputed in Python; this script renders it with sigma (WebGL) and wires the
 * search box, the filters, the hover highlight and the side panel. Nothing is fetched. */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("peel-data").textContent);
  const GREY = "#e2e2e2";
  const nodes = new Map(DATA.nodes.map((n) => [n.id, n]));
  const edgeData = new Map();

  // --- the graph ------------------------------------------------------------
  const SHAPE_CODES = { circle: 0, square: 1, triangle: 2, diamond: 3, rectangle: 4, hexagon: 5 };
  const graph = new graphology.MultiDirectedGraph();
  for (const n of DATA.nodes) {
    graph.addNode(n.id, {
      x: n.x, y: n.y, size: n.size, color: n.color, shapeCode: SHAPE_CODES[n.shape] || 0,
      label: n.label.length > 60 ? n.label.slice(0, 57) + "…" : n.label,
    });
  }
  DATA.edges.forEach((e, i) => {
    const key = "e" + i;
    edgeData.set(key, e);
    graph.addEdgeWithKey(key, e.source, e.target, {
      size: e.size, color: e.color, type: e.arrow ? "arrow" : "line", zIndex: e.arrow ? 2 : e.size > 0.8 ? 1 : 0,
    });
  });

  // Nodes drawn by shape: one WebGL program, the shape picked per node by a signed
  // distance function (circle, square, triangle, diamond, rectangle, hexagon).
  const NodeProgram = Sigma.rendering.NodeProgram;
  const floatColor = Sigma.utils.floatColor;
  const VERTEX = `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_position;
attribute float a_size;
attribute float a_shape;
attribute float a_angle;
uniform mat3 u_matrix;
uniform float u_sizeRatio;
uniform float u_correctionRatio;
varying vec4 v_color;
varying vec2 v_diffVector;
varying float v_radius;
varying float v_shape;
const float bias = 255.0 / 254.0;
void main() {
  float size = a_size * u_correctionRatio / u_sizeRatio * 4.0;
  // A triangle of inradius 1.5 radii: room for every shape.
  vec2 diffVector = 1.5 * size * vec2(cos(a_angle), sin(a_angle));
  gl_Position = vec4((u_matrix * vec3(a_position + diffVector, 1)).xy, 0, 1);
  v_diffVector = diffVector;
  v_radius = size / 2.0;
  v_shape = a_shape;
  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}
`;
  const FRAGMENT = `
precision highp float;
varying vec4 v_color;
varying vec2 v_diffVector;
varying float v_radius;
varying float v_shape;
uniform float u_correctionRatio;
const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);
float box(vec2 p, vec2 b) {
  vec2 d = abs(p) - b;
  return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
}
float triangle(vec2 p, float r) {
  const float k = 1.7320508;
  p.x = abs(p.x) - r;
  p.y = p.y + r / k;
  if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
  p.x -= clamp(p.x, -2.0 * r, 0.0);
  return -length(p) * sign(p.y);
}
float hexagon(vec2 p, float r) {
  const vec3 k = vec3(-0.866025404, 0.5, 0.577350269);
  p = abs(p);
  p -= 2.0 * min(dot(k.xy, p), 0.0) * k.xy;
  p -= vec2(clamp(p.x, -k.z * r, k.z * r), r);
  return length(p) * sign(p.y);
}
void main(void) {
  float R = v_radius;
  vec2 p = v_diffVector;
  float d;
  if (v_shape < 0.5) d = length(p) - R;
  else if (v_shape < 1.5) d = box(p, vec2(0.9 * R));
  else if (v_shape < 2.5) d = triangle(p - vec2(0.0, 0.2 * R), 1.2 * R);
  else if (v_shape < 3.5) d = (abs(p.x) + abs(p.y) - 1.25 * R) * 0.7071;
  else if (v_shape < 4.5) d = box(p, vec2(1.3 * R, 0.7 * R));
  else d = hexagon(p, 1.0 * R);
  float border = u_correctionRatio * 2.0;
  d += border;
  #ifdef PICKING_MODE
  gl_FragColor = d > border ? transparent : v_color;
  #else
  float t = d > border ? 1.0 : (d > 0.0 ? d / border : 0.0);
  gl_FragColor = mix(v_color, transparent, t);
  #endif
}
`;
  const { UNSIGNED_BYTE, FLOAT } = WebGLRenderingContext;
  class NodeShapeProgram extends NodeProgram {
    getDefinition() {
      return {
        VERTICES: 3,
        VERTEX_SHADER_SOURCE: VERTEX,
        FRAGMENT_SHADER_SOURCE: FRAGMENT,
        METHOD: WebGLRenderingContext.TRIANGLES,
        UNIFORMS: ["u_sizeRatio", "u_correctionRatio", "u_matrix"],
        ATTRIBUTES: [
          { name: "a_position", size: 2, type: FLOAT },
          { name: "a_size", size: 1, type: FLOAT },
          { name: "a_color", size: 4, type: UNSIGNED_BYTE, normalized: true },
          { name: "a_id", size: 4, type: UNSIGNED_BYTE, normalized: true },
          { name: "a_shape", size: 1, type: FLOAT },
        ],
        CONSTANT_ATTRIBUTES: [{ name: "a_angle", size: 1, type: FLOAT }],
        CONSTANT_DATA: [[Math.PI / 2], [Math.PI / 2 + 2 * Math.PI / 3], [Math.PI / 2 + 4 * Math.PI / 3]],
      };
    }
    processVisibleItem(nodeIndex, startIndex, data) {
      const array = this.array;
      array[startIndex++] = data.x;
      array[startIndex++] = data.y;
      array[startIndex++] = data.size;
      array[startIndex++] = floatColor(data.color);
      array[startIndex++] = nodeIndex;
      array[startIndex++] = data.shapeCode || 0;
    }
    setUniforms(params, { gl, uniformLocations }) {
      gl.uniform1f(uniformLocations.u_correctionRatio, params.correctionRatio);
      gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
      gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
    }
  }

  // --- hover, selection, filters: the reducers read this state -----------------
  let active = null;          // the node whose neighbourhood is highlighted, and its neighbours
  let selected = null;
  let hovered = null;
  let hidden = new Set();
  let found = new Set();

  const renderer = new Sigma(graph, document.getElementById("graph"), {
    defaultNodeType: "shape",
    nodeProgramClasses: { shape: NodeShapeProgram },
    edgeProgramClasses: { arrow: Sigma.rendering.EdgeArrowProgram, line: Sigma.rendering.EdgeRectangleProgram },
    renderEdgeLabels: false,
    labelRenderedSizeThreshold: 9,
    zIndex: true,
    nodeReducer: (node, data) => {
      const res = { ...data };
      if (hidden.has(node)) res.hidden = true;
      if (active && !active.has(node)) { res.color = GREY; res.label = ""; res.zIndex = 0; }
      else if (active) { res.forceLabel = true; res.zIndex = 2; }
      if (found.has(node)) { res.highlighted = true; res.zIndex = 3; }
      if (node === selected) { res.highlighted = true; res.forceLabel = true; res.zIndex = 4; }
      return res;
    },
    edgeReducer: (edge, data) => {
      const res = { ...data };
      const [s, t] = graph.extremities(edge);
      if (hidden.has(s) || hidden.has(t)) res.hidden = true;
      const focus = hovered || selected;
      if (active && s !== focus && t !== focus) res.color = "#f2f2f2";
      return res;
    },
  });

  function highlight(node) {
    active = node ? new Set([node, ...graph.neighbors(node)]) : null;
    renderer.refresh({ skipIndexation: true });
  }

  renderer.on("enterNode", ({ node }) => { hovered = node; highlight(node); });
  renderer.on("leaveNode", () => { hovered = null; highlight(selected); });
  renderer.on("clickNode", ({ node }) => select(node));
  // A click soon after another is a double click to sigma: select, do not zoom.
  renderer.on("doubleClickNode", (e) => { e.preventSigmaDefault(); select(e.node); });
  renderer.on("clickStage", () => select(null));

  function select(id, opts) {
    selected = id && nodes.has(id) ? id : null;
    highlight(hovered || selected);
    showDetails(selected);
    if (selected && !(opts && opts.noCamera)) {
      const d = renderer.getNodeDisplayData(selected);
      if (d) renderer.getCamera().animate({ x: d.x, y: d.y, ratio: 0.35 }, { duration: 300 });
    }
    return selected;
  }

  // --- the side panel ---------------------------------------------------------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "style") e.style.cssText = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  function statusBadge(code) {
    if (!code) return "—";
    const colour = (DATA.legend.statuses.find((s) => s[0] === code) || [code, "#777"])[1];
    return el("span", { class: "status", style: `background:${colour}` }, code);
  }

  function nodeLink(id) {
    const n = nodes.get(id);
    const text = n.kind === "finding" ? `${n.assessment || ""} ${n.label}` : n.label;
    return el("a", { class: "node", onclick: () => select(id) }, text.trim());
  }

  function row(term, value) {
    return [el("dt", {}, term), el("dd", {}, value)];
  }

  function grade(value, assessment) {
    return `${value || "not graded"}${assessment ? ` (${assessment})` : ""}`;
  }

  function linkList(id) {
    const groups = new Map();
    graph.forEachOutEdge(id, (key, _a, _s, target) => {
      const e = edgeData.get(key);
      const title = DATA.legend.edgeTitles[e.kind][0];
      if (!groups.has(title)) groups.set(title, []);
      groups.get(title).push([target, e]);
    });
    graph.forEachInEdge(id, (key, _a, source) => {
      const e = edgeData.get(key);
      const title = DATA.legend.edgeTitles[e.kind][1];
      if (!groups.has(title)) groups.set(title, []);
      groups.get(title).push([source, e]);
    });
    const out = [];
    for (const [title, items] of groups) {
      out.push(el("h3", {}, `${title} (${items.length})`));
      out.push(el("ul", { class: "links" }, items.slice(0, 60).map(([other, e]) =>
        el("li", {}, nodeLink(other), e.status ? [" ", statusBadge(e.status)] : null))));
    }
    return out;
  }

  function placeInText(n) {
    if (!n.quote) return null;
    const parts = [el("h3", {}, "Source quote"), el("blockquote", {}, n.quote)];
    if (n.source) {
      parts.push(el("h3", {}, "Its place in the text"));
      if (n.before !== undefined) {
        parts.push(el("div", { class: "context" }, n.before, el("mark", {}, n.quote), n.after));
      }
      const where = `${n.source}, characters ${n.start}–${n.end}`;
      parts.push(el("p", { class: "where" }, where, " ",
        n.href ? el("a", { href: n.href, target: "_blank" }, "open the source text") : null));
    }
    return parts;
  }

  function showDetails(id) {
    const box = document.getElementById("details");
    box.replaceChildren();
    if (!id) {
      box.append(el("p", { class: "hint" }, "Hover a node to see what it is linked to; click it (or search) for its details and its place in the source text."));
      return;
    }
    const n = nodes.get(id);
    const dl = el("dl", {});
    if (n.kind === "finding") {
      box.append(el("h2", {}, n.headline || n.label));
      dl.append(...row("Type", DATA.legend.typeNames[n.type] || n.type || "finding"),
        ...row("Assessment", n.assessment || "?"), ...row("Force", n.force || "?"),
        ...row("Area", n.area || "—"),
        ...row("Status", statusBadge(n.status)),
        ...(n.outcome ? row("Later", statusBadge(n.outcome)) : []),
        ...row("Grade then", grade(n.grade_then, n.assessment)),
        ...row("Grade now", n.now_unmapped
          ? `no area of ${n.now_assessment} maps to this one`
          : grade(n.grade_now, n.now_assessment)
            + (n.now_area ? `, on ${n.now_area} (crosswalk)` : "")),
        ...(n.themes && n.themes.length ? row("Themes", n.themes.join(", ")) : []),
        ...(n.known_only_through ? row("Known", "only through a later report") : []));
    } else if (n.kind === "judgment") {
      box.append(el("h2", {}, `${n.grade || "not graded"}: ${n.area || ""}`));
      dl.append(...row("Kind", "judgment"), ...row("Assessment", n.assessment || "?"),
        ...row("Force", n.force || "?"), ...row("Grade", n.grade || "not graded"));
    } else {
      box.append(el("h2", {}, n.label));
      dl.append(...row("Kind", n.kind), ...row("Links", String(graph.degree(id))));
    }
    box.append(dl);
    const place = placeInText(n);
    if (place) box.append(...place);
    const context = box.querySelector(".context");
    if (context) context.scrollTop = context.querySelector("mark").offsetTop - context.offsetTop - 60;
    box.append(...linkList(id));
    // served by peel-kg serve, a node has a page there: its IRI links to it
    box.append(el("p", { class: "where" }, n.page ? el("a", { href: n.page, class: "page" }, id) : id));
  }

  // --- search ---------------------------------------------------------------
  const haystack = new Map(DATA.nodes.map((n) => [n.id,
    [n.label, n.headline, n.area, n.force, (n.themes || []).join(" ")].join(" ").toLowerCase()]));
  const input = document.getElementById("search");
  const results = document.getElementById("results");
  let hits = [];

  function search(text) {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const found = [];
    for (const [id, hay] of haystack) {
      if (hidden.has(id)) continue;
      if (words.every((w) => hay.includes(w))) found.push(id);
    }
    const rank = (id) => (nodes.get(id).kind === "finding" ? 0 : 1);
    found.sort((a, b) => rank(a) - rank(b) || nodes.get(a).label.localeCompare(nodes.get(b).label));
    return found;
  }

  function showResults() {
    hits = search(input.value);
    results.replaceChildren(...hits.slice(0, 20).map((id, i) => {
      const n = nodes.get(id);
      return el("li", { class: i === 0 ? "active" : "", onmousedown: (ev) => { ev.preventDefault(); pick(id); } },
        n.label, el("small", {}, [n.kind, n.assessment, n.area].filter(Boolean).join(" · ")));
    }));
    results.hidden = hits.length === 0;
    found = new Set(hits.slice(0, 200));
    renderer.refresh({ skipIndexation: true });
  }

  function pick(id) {
    results.hidden = true;
    select(id);
  }

  input.addEventListener("input", showResults);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && hits.length) pick(hits[0]);
    if (ev.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", () => { results.hidden = true; });

  // --- filters --------------------------------------------------------------
  const filters = {
    assessment: document.getElementById("filter-assessment"),
    type: document.getElementById("filter-type"),
    theme: document.getElementById("filter-theme"),
  };
  for (const [a] of DATA.legend.assessments) filters.assessment.append(el("option", { value: a }, a));
  for (const [code, name] of Object.entries(DATA.legend.typeNames)) filters.type.append(el("option", { value: code }, name));
  for (const t of DATA.legend.themes) filters.theme.append(el("option", { value: t }, t));

  function passes(n) {
    const a = filters.assessment.value, t = filters.type.value, th = filters.theme.value;
    if (n.kind !== "finding" && n.kind !== "judgment") return null;  // decided by its neighbours
    if (a && n.assessment !== a) return false;
    if (t && (n.kind === "judgment" ? t !== "judgment" : n.type !== t)) return false;
    if (th && !(n.themes || []).includes(th)) return false;
    return true;
  }

  function applyFilters() {
    const any = Object.values(filters).some((f) => f.value);
    const visible = new Set();
    for (const n of DATA.nodes) if (!any || passes(n)) visible.add(n.id);
    if (any) {
      for (const n of DATA.nodes) {
        if (passes(n) === null && graph.neighbors(n.id).some((m) => visible.has(m) && passes(nodes.get(m)))) visible.add(n.id);
      }
    }
    const shown = DATA.nodes.filter((n) => visible.has(n.id)).map((n) => n.id);
    hidden = new Set(DATA.nodes.filter((n) => !visible.has(n.id)).map((n) => n.id));
    let shownEdges = 0;
    graph.forEachEdge((_k, _a, s, t) => { if (visible.has(s) && visible.has(t)) shownEdges += 1; });
    renderer.refresh({ skipIndexation: true });
    if (selected && !visible.has(selected)) select(null);
    document.getElementById("stats").textContent =
      `${shown.length} of ${DATA.nodes.length} nodes · ${shownEdges} links`;
    return shown.length;
  }
  Object.values(filters).forEach((f) => f.addEventListener("change", applyFilters));

  // --- the legend -------------------------------------------------------------
  const SVG = "http://www.w3.org/2000/svg";
  function glyph(shape, colour) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "-8 -8 16 16");
    const shapes = {
      circle: ["circle", { r: 6 }],
      square: ["rect", { x: -6, y: -6, width: 12, height: 12 }],
      rectangle: ["rect", { x: -7, y: -4, width: 14, height: 8 }],
      triangle: ["polygon", { points: "0,-7 6.5,5 -6.5,5" }],
      diamond: ["polygon", { points: "0,-7 7,0 0,7 -7,0" }],
      hexagon: ["polygon", { points: "0,-7 6,-3.5 6,3.5 0,7 -6,3.5 -6,-3.5" }],
    };
    const [tag, attrs] = shapes[shape] || shapes.circle;
    const s = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
    s.setAttribute("fill", colour);
    svg.append(s);
    return svg;
  }
  function line(colour, dashed, width) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "28"); svg.setAttribute("height", "10");
    const l = document.createElementNS(SVG, "line");
    for (const [k, v] of Object.entries({ x1: 1, y1: 5, x2: 27, y2: 5, stroke: colour, "stroke-width": width })) l.setAttribute(k, v);
    if (dashed) l.setAttribute("stroke-dasharray", "4 3");
    svg.append(l);
    return svg;
  }
  const L = DATA.legend;
  document.getElementById("legend").append(
    el("h3", {}, "Colour: assessment"),
    el("ul", {}, L.assessments.map(([a, c]) => el("li", {}, glyph("circle", c), a))),
    el("h3", {}, "Shape: finding type"),
    el("ul", {}, L.shapes.map(([name, shape, c]) => el("li", {}, glyph(shape, c), name))),
    el("h3", {}, "Links"),
    el("ul", {}, L.edges.map(([name, c, _dashed, w]) => el("li", {}, line(c, false, Math.max(w, 1)), name))),
    el("h3", {}, "Follow-up status"),
    el("ul", {}, L.statuses.map(([s, c]) => el("li", {}, line(c, false, 3), s))),
  );

  const shownCount = applyFilters();
  window.peelViz = {
    renderer, graph, select, search, applyFilters,
    activeNodes: () => (active ? [...active] : []),
    selected: () => selected,
    viewportOf: (id) => renderer.framedGraphToViewport(renderer.getNodeDisplayData(id)),
    nodeCount: graph.order, edgeCount: graph.size, shownCount, readyAt: performance.now(),
  };
  document.body.dataset.ready = "true";
})();
