// Assemble the board paper from a period's pages, inside the print document
// (templates/print.html.j2). Run by pdf.py through Playwright with the pages'
// own scripts disabled; the pages are parsed here with DOMParser, never loaded.
//
// Each page's <main id="content"> becomes one part (its title as h1); the parts
// flow on from one to the next rather than each starting a sheet. The overview's
// annex (<details id="annex">: how the figures were worked out, and the data-quality
// summary) moves to the end as the paper's one annex. The channel pages' own method
// notes (<details class="method">) and stated-figure tables (table.quality) stay in
// the HTML briefings and quality.html, which are not printed: the paper prints the
// stated-figures table nowhere. Ids are prefixed with the page's name so they stay
// unique (the pages' table styles follow them), links between pages become links
// inside the document, and charts are printed at chartScale of their own size (never
// finer than `dpi`, never wider than the text), so their text prints at 7 pt or more.
// A heading and what it introduces, to its last table or chart, are kept on one page.
async ({ parts, dpi, chartScale, chartPixelsPerInch, textWidthMm, textHeightMm }) => {
  const parser = new DOMParser();
  const holder = document.getElementById("parts");
  const annex = document.querySelector("#annex .content");
  const names = new Set(parts.map((p) => p.name));
  const target = (name) => (name === "quality" ? "#annex" : `#part-${name}`);
  const report = { parts: [], methods: 0, qualityTables: 0, images: 0 };

  const clean = (root) => {
    root.querySelectorAll("script, noscript, template, iframe, object, embed").forEach((n) => n.remove());
    for (const el of root.querySelectorAll("*")) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) el.removeAttribute(attr.name);
      }
    }
  };

  const relink = (root, name) => {
    const prefix = (id) => `${name}--${id}`;
    for (const el of root.querySelectorAll("[id]")) el.id = prefix(el.id);
    // pandas Styler tables are styled by id (#T_abc_row0_col1): follow the new ids.
    for (const style of root.querySelectorAll("style")) {
      style.textContent = style.textContent.replace(/#(T_[A-Za-z0-9_-]+)/g, (_, id) => `#${prefix(id)}`);
    }
    for (const attr of ["aria-labelledby", "aria-describedby", "aria-controls", "for", "headers"]) {
      for (const el of root.querySelectorAll(`[${attr}]`)) {
        el.setAttribute(attr, el.getAttribute(attr).split(/\s+/).filter(Boolean).map(prefix).join(" "));
      }
    }
    for (const a of root.querySelectorAll("a[href]")) {
      const href = a.getAttribute("href").trim();
      if (href.startsWith("#")) {
        a.setAttribute("href", `#${prefix(href.slice(1))}`);
        continue;
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // http:, mailto: ... kept as they are
      const page = /^([A-Za-z0-9_-]+)\.html(?:#(.*))?$/.exec(href);
      if (page && names.has(page[1])) {
        a.setAttribute("href", page[2] ? `#${page[1]}--${page[2]}` : target(page[1]));
      } else {
        a.removeAttribute("href"); // a file beside the pages: no use inside a PDF
      }
    }
  };

  const heading = (level, text) => {
    const h = document.createElement(`h${level}`);
    h.textContent = text;
    return h;
  };

  // A heading left with nothing under it (its outputs are screen-only) is removed too.
  // The level of the heading a narrative block opens with (0: none); `alone`: and holds nothing else.
  const headingLevel = (node, alone = true) => {
    if (!node || !node.matches || !node.matches("div.narrative") || !node.firstElementChild) return 0;
    if (alone && node.children.length !== 1) return 0;
    const m = /^H([1-6])$/.exec(node.firstElementChild.tagName);
    return m ? Number(m[1]) : 0;
  };
  // A page-level notice ("Not in this briefing: ...") is not what a heading introduces.
  const dropEmptyHeadings = (root) => {
    const nodes = Array.from(root.children);
    for (let i = nodes.length - 1; i >= 0; i -= 1) {
      const level = headingLevel(nodes[i]);
      if (!level) continue;
      let next = nodes[i].nextElementSibling;
      while (next && next.matches("p.notice")) next = next.nextElementSibling;
      const nextLevel = headingLevel(next, false);
      if (!next || (nextLevel && nextLevel <= level)) nodes[i].remove();
    }
  };

  // An output whose only content is a chart (kept whole, with room around it).
  const isChart = (node) =>
    node.nodeType === 1 && node.querySelector("img") && !node.querySelector("table, p, ul");

  for (const part of parts) {
    if (part.role === "quality") continue; // the full table stays in quality.html
    const doc = parser.parseFromString(part.html, "text/html");
    const main = doc.querySelector("main#content") || doc.querySelector("main") || doc.body;
    clean(main);
    relink(main, part.name);
    const own = main.querySelector(`#${part.name}--annex`);
    if (own) {
      for (const child of Array.from(own.children)) {
        if (child.tagName !== "SUMMARY") annex.append(child);
      }
      own.remove();
    }
    for (const details of Array.from(main.querySelectorAll("details.method"))) {
      report.methods += 1;
      details.remove();
    }
    for (const table of Array.from(main.querySelectorAll("table.quality"))) {
      const section = table.closest("section");
      (section && section !== main && main.contains(section) ? section : table).remove();
      report.qualityTables += 1;
    }
    // the front block already gives the date of issue, decision and contact
    for (const node of Array.from(main.querySelectorAll(".screen-only, dl.paper-facts"))) node.remove();
    // a note on assumed dates is printed once a part, under the first table it concerns
    const notes = new Set();
    for (const p of Array.from(main.querySelectorAll("div.narrative > p"))) {
      if (!/^Dates assumed:/.test(p.textContent.trim())) continue;
      const said = p.textContent.replace(/\s+/g, " ").trim();
      if (notes.has(said)) {
        const block = p.parentElement;
        p.remove();
        if (!block.textContent.trim()) (block.closest("div.output") || block).remove();
      }
      notes.add(said);
    }
    dropEmptyHeadings(main);
    // A page that opens with its own title (h2 "Social media") keeps only the part's h1.
    const first = main.querySelector("h1, h2, h3");
    const same = (a, b) => a.replace(/\s+/g, " ").trim().toLowerCase() === b.trim().toLowerCase();
    if (first && same(first.textContent.replace(/¶/g, ""), part.title)) {
      const block = first.closest("div.narrative");
      first.remove();
      if (block && !block.textContent.trim()) block.remove();
    }
    const section = document.createElement("section");
    section.className = `part part-${part.role}`;
    section.id = `part-${part.name}`;
    section.append(heading(1, part.title), ...Array.from(main.childNodes));
    // the part's title is kept with the line that introduces it
    const title = section.firstElementChild;
    const intro = title.nextElementSibling;
    if (intro && !intro.querySelector("h2, h3, table, img")) {
      const opening = document.createElement("div");
      opening.className = "keep opening";
      title.before(opening);
      opening.append(title, intro);
    }
    for (const node of Array.from(section.children)) {
      if (isChart(node)) node.classList.add("chart-output");
    }
    holder.append(section);
    report.parts.push(part.name);
  }

  if (!annex.textContent.trim()) {
    const p = document.createElement("p");
    p.textContent = "The briefings published no method notes or data-quality checks for this period.";
    annex.append(p);
  }

  await Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => null)));
  for (const img of document.images) {
    if (!img.naturalWidth) continue;
    img.classList.add("printed-chart");
    // chartScale of the chart's own size (its text then prints at 7 pt or more), no
    // finer than `dpi` and no wider than the text (aspect ratio kept)
    const byScale = (img.naturalWidth / chartPixelsPerInch) * chartScale;
    const byDpi = img.naturalWidth / dpi;
    const byText = textWidthMm / 25.4;
    img.style.width = `${Math.min(byScale, byDpi, byText).toFixed(3)}in`;
    img.style.height = "auto";
    report.images += 1;
  }

  // A narrow table and its heading make a unit half the text wide, so that
  // consecutive narrow tables sit side by side instead of leaving half a sheet empty.
  const half = (textWidthMm / 25.4) * 96 * 0.47; // CSS pixels
  for (const section of holder.querySelectorAll("section.part")) {
    for (const out of Array.from(section.querySelectorAll(":scope > div.output"))) {
      const table = out.querySelector(":scope > table");
      if (!table || out.querySelector("img") || table.getBoundingClientRect().width > half) continue;
      const unit = document.createElement("div");
      unit.className = "pair";
      const before = out.previousElementSibling;
      out.before(unit);
      if (headingLevel(before)) unit.append(before);
      unit.append(out);
    }
  }

  // A heading is kept on the page of what it introduces: the text under it, up to and
  // including its last table or chart (only to its first when the whole would fill
  // most of a page), so that no heading ends a page apart from its table or chart.
  const most = (textHeightMm / 25.4) * 96 * 0.8; // CSS pixels
  const startsUnit = (node) =>
    headingLevel(node, false) > 0 ||
    (node.matches("div.pair") && headingLevel(node.firstElementChild, false) > 0);
  const holds = (node) => node.matches("div.pair") || node.querySelector("table, img") !== null;
  for (const section of holder.querySelectorAll("section.part")) {
    const nodes = Array.from(section.children);
    for (let i = 0; i < nodes.length; i += 1) {
      if (!startsUnit(nodes[i])) continue;  // a heading, or a narrow table under its heading
      let end = i + 1;
      while (end < nodes.length && !startsUnit(nodes[end])) end += 1;
      const holders = [];
      for (let j = i + 1; j < end; j += 1) if (holds(nodes[j])) holders.push(j);
      if (!holders.length) continue;
      const top = nodes[i].getBoundingClientRect().top;
      let last = holders[holders.length - 1];
      if (nodes[last].getBoundingClientRect().bottom - top > most) last = holders[0];
      const keep = document.createElement("div");
      keep.className = "keep";
      nodes[i].before(keep);
      keep.append(...nodes.slice(i, last + 1));
      i = last;
    }
  }
  return report;
};
