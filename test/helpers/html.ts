/** Reading HTML in tests with Bun's HTMLRewriter (no DOM library needed). */

export interface HtmlElement {
  tag: string;
  attrs: Record<string, string>;
  /** Text content, whitespace collapsed. */
  text: string;
}

/** Decodes the entities the JSX renderer writes (HTMLRewriter hands out raw text). */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_, name: string) =>
    name === 'amp'
      ? '&'
      : name === 'lt'
        ? '<'
        : name === 'gt'
          ? '>'
          : name === 'quot'
            ? '"'
            : name === 'nbsp'
              ? '\u00a0'
              : "'",
  );
}

/** Every element matching a CSS `selector`, in document order, with its attributes and text. */
export async function selectAll(html: string, selector: string): Promise<HtmlElement[]> {
  const found: HtmlElement[] = [];
  const open: HtmlElement[] = [];
  const rewriter = new HTMLRewriter().on(selector, {
    element(element) {
      const attrs = Object.fromEntries(
        [...element.attributes].map(([key, value]) => [key, decodeEntities(value)]),
      );
      const item: HtmlElement = { tag: element.tagName, attrs, text: '' };
      found.push(item);
      if (!element.selfClosing && !element.removed) {
        open.push(item);
        try {
          element.onEndTag(() => {
            open.splice(open.lastIndexOf(item), 1);
          });
        } catch {
          // Void elements (input, img) have no end tag.
          open.pop();
        }
      }
    },
    text(chunk) {
      for (const item of open) item.text += chunk.text;
    },
  });
  // Any element boundary separates words, as a browser's innerText would (cells, badges…).
  rewriter.on('*', {
    element() {
      for (const item of open) item.text += ' ';
    },
  });
  await rewriter.transform(new Response(html)).text();
  for (const item of found) item.text = decodeEntities(item.text).replace(/\s+/g, ' ').trim();
  return found;
}

/** Texts of the elements matching `selector`. */
export async function selectTexts(html: string, selector: string): Promise<string[]> {
  return (await selectAll(html, selector)).map((element) => element.text);
}

/** `href`s of the links matching `selector`. */
export async function selectHrefs(html: string, selector: string): Promise<string[]> {
  return (await selectAll(html, selector)).map((element) => element.attrs.href ?? '');
}
