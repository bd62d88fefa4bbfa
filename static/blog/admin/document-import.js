// "Create article from a document": keeps the clipboard's own HTML (what Word, Google Docs or
// a browser put there) for the server to convert, and shows a text-only preview of it. The
// pasted markup is never inserted into the admin page itself: it is parsed with DOMParser,
// which runs no scripts and loads nothing, and only its text is shown.
(() => {
  const form = document.querySelector("[data-document-import]");
  if (!form) return;
  const area = form.querySelector("[data-document-import-paste]");
  const summary = form.querySelector("[data-document-import-summary]");
  const htmlInput = form.querySelector("input[name='html']");
  const textInput = form.querySelector("input[name='text']");
  const BLOCKS = "h1,h2,h3,h4,h5,h6,p,li,blockquote,figcaption,td,th";

  const preview = (doc) => {
    area.replaceChildren();
    let headings = 0;
    let lists = 0;
    let paragraphs = 0;
    for (const element of doc.body.querySelectorAll(BLOCKS)) {
      // Only the innermost text blocks: a <li><p>…</p></li> shows once.
      if (element.querySelector(BLOCKS)) continue;
      const text = element.textContent.replace(/\s+/g, " ").trim();
      if (!text) continue;
      const tag = element.tagName.toLowerCase();
      let shown;
      if (/^h[1-6]$/.test(tag)) {
        headings += 1;
        shown = document.createElement(tag === "h1" || tag === "h2" ? "h2" : "h3");
      } else if (element.closest("li")) {
        shown = document.createElement("p");
        shown.textContent = "• ";
      } else if (element.closest("blockquote")) {
        shown = document.createElement("blockquote");
      } else {
        paragraphs += 1;
        shown = document.createElement("p");
      }
      shown.append(text);
      area.append(shown);
    }
    lists = doc.body.querySelectorAll("ul:not(ul ul, ol ul), ol:not(ul ol, ol ol)").length;
    summary.textContent = `Ready to import: ${headings} headings, ${lists} lists, ${paragraphs} paragraphs. Pasting again replaces it.`;
  };

  area.addEventListener("paste", (event) => {
    const data = event.clipboardData;
    if (!data) return;
    event.preventDefault();
    const html = data.getData("text/html");
    const text = data.getData("text/plain");
    htmlInput.value = html;
    textInput.value = html ? "" : text;
    if (html) {
      preview(new DOMParser().parseFromString(html, "text/html"));
    } else {
      area.textContent = text;
      summary.textContent = "Ready to import the pasted text. Pasting again replaces it.";
    }
  });

  // Typed (not pasted) text is sent as plain text.
  area.addEventListener("input", () => {
    htmlInput.value = "";
    textInput.value = area.innerText;
  });
})();
