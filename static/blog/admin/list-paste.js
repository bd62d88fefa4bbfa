// In a StreamField list of one-line items (a symptom list's items), pasting several lines
// makes one item per line: the first line goes where the cursor is, each further line is
// added below it through the list's own "Add" buttons, as if the editor had pressed "+" and
// typed it. Bullets and numbers at the start of a line are dropped. One line pastes normally.
(() => {
  const MARKER = /^\s*(?:[•\-*·▪◦✓✔☑☐]|\d+[.)])\s+/;
  const setValue = (input, value) => {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const nextMatching = (element, selector) => {
    let node = element.nextElementSibling;
    while (node && !node.matches(selector)) node = node.nextElementSibling;
    return node;
  };

  document.addEventListener("paste", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "text") return;
    const child = input.closest("[data-streamfield-child]");
    const container = child && child.parentElement;
    if (!container || !container.matches("[data-streamfield-list-container]")) return;
    // Only lists of single text fields: a struct item (an FAQ question) pastes normally.
    if (child.querySelectorAll("input[type='text'], textarea, [contenteditable='true']").length !== 1) return;
    const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    const lines = text
      .split(/\r?\n/)
      .map((line) => line.replace(MARKER, "").trim())
      .filter(Boolean);
    if (lines.length < 2) return;
    event.preventDefault();
    const { selectionStart, selectionEnd, value } = input;
    setValue(input, value.slice(0, selectionStart ?? value.length) + lines[0] + value.slice(selectionEnd ?? value.length));
    let current = child;
    for (const line of lines.slice(1)) {
      const add = nextMatching(current, "[data-streamfield-list-add]");
      if (!add || add.disabled) break; // the list is full (its max_num)
      add.click();
      const added = nextMatching(add, "[data-streamfield-child]");
      const field = added && added.querySelector("input[type='text']");
      if (!field) break;
      setValue(field, line);
      current = added;
    }
  });
})();
