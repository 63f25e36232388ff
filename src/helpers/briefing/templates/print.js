// Assemble the board paper from a period's pages, inside the print document
// (templates/print.html.j2). Run by pdf.py through Playwright with the pages'
// own scripts disabled; the pages are parsed here with DOMParser, never loaded.
//
// Each page's <main id="content"> becomes one part (a new page, its title as h1);
// every <details class="method"> moves to "Method notes" and the data-quality
// table (table.quality, or the whole quality.html page) to "Data quality" at the
// end. Ids are prefixed with the page's name so they stay unique, links between
// pages become links inside the document, and charts get a printed width of at
// most their pixel width / dpi inches, so they print at `dpi` or finer. Tables of
// more than `longTable` rows may break between rows; shorter ones are kept whole.
async ({ parts, dpi, longTable }) => {
  const parser = new DOMParser();
  const holder = document.getElementById("parts");
  const methods = document.querySelector("#method-notes .content");
  const quality = document.querySelector("#data-quality .content");
  const names = new Set(parts.map((p) => p.name));
  const target = (name) => (name === "quality" ? "#data-quality" : `#part-${name}`);
  const report = { parts: [], methods: 0, qualityTables: 0, images: 0 };
  let qualityMain = null;
  const qualityBits = [];

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

  for (const part of parts) {
    const doc = parser.parseFromString(part.html, "text/html");
    const main = doc.querySelector("main#content") || doc.querySelector("main") || doc.body;
    clean(main);
    relink(main, part.name);
    for (const details of main.querySelectorAll("details")) details.setAttribute("open", "");

    const notes = Array.from(main.querySelectorAll("details.method"));
    if (notes.length) {
      const group = document.createElement("section");
      group.className = "method-group";
      group.append(heading(2, part.title), ...notes);
      methods.append(group);
      report.methods += notes.length;
    }
    if (part.role === "quality") {
      qualityMain = main;
      continue;
    }
    for (const table of main.querySelectorAll("table.quality")) {
      // The table with what introduces it (its section, less the heading) goes to the end.
      const section = table.closest("section");
      if (section && section !== main && main.contains(section)) {
        const kept = Array.from(section.children).filter((n) => !/^H[1-6]$/.test(n.tagName));
        qualityBits.push(...kept);
        section.remove();
      } else {
        qualityBits.push(table);
      }
    }
    // A page that opens with its own title (h2 "Social media") keeps only the part's h1.
    const first = main.querySelector("h1, h2, h3");
    const same = (a, b) => a.replace(/\s+/g, " ").trim().toLowerCase() === b.trim().toLowerCase();
    if (first && same(first.textContent.replace(/¶/g, ""), part.title)) first.remove();
    const section = document.createElement("section");
    section.className = `part part-${part.role}`;
    section.id = `part-${part.name}`;
    section.append(heading(1, part.title), ...Array.from(main.childNodes));
    holder.append(section);
    report.parts.push(part.name);
  }

  if (qualityMain) {
    // quality.html has the full table: its own content replaces the pieces moved above.
    quality.append(...Array.from(qualityMain.childNodes));
  } else {
    quality.append(...qualityBits);
  }
  report.qualityTables = quality.querySelectorAll("table.quality").length;
  if (!quality.textContent.trim()) {
    const p = document.createElement("p");
    p.textContent = "The briefings published no data-quality checks for this period.";
    quality.append(p);
  }
  if (!report.methods) {
    document.getElementById("method-notes").querySelector(".intro").textContent =
      "The pages of this briefing state their methods where they give each figure.";
  }

  for (const table of document.querySelectorAll("table")) {
    if (table.rows.length > longTable) table.classList.add("long");
  }

  await Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => null)));
  for (const img of document.images) {
    if (!img.naturalWidth) continue;
    img.classList.add("printed-chart");
    img.style.width = `${(img.naturalWidth / dpi).toFixed(3)}in`;
    img.style.height = "auto";
    report.images += 1;
  }
  return report;
};
