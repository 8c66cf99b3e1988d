/**
 * DOM helpers that only ever create text: token and claim values are data
 * from outside, so nothing here parses HTML.
 */

/**
 * Creates an element with attributes and children (strings become text nodes).
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {Array<Node | string>} [children]
 */
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Replaces the children of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren(...children);
}

/** Copies the text of element `id` to the clipboard, or selects it when the clipboard is unavailable. */
export async function copyText(id) {
  const source = /** @type {HTMLElement & { value?: string, select?: () => void }} */ (document.getElementById(id));
  const text = typeof source.value === 'string' ? source.value : source.textContent;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (source.select) source.select();
    else window.getSelection().selectAllChildren(source);
    return false;
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Creates an SVG element with attributes and children, as `el` does for HTML.
 * @param {string} tag
 * @param {Record<string, string | number>} [attributes]
 * @param {Array<Node | string>} [children]
 */
export function svgEl(tag, attributes = {}, children = []) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}
