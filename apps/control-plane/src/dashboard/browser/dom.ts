/**
 * Builds elements and formats figures. The page never parses markup from strings: text always enters the DOM
 * as text nodes, so no API value can become markup.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Attributes, and `on<event>` listeners; null, undefined and false leave the attribute out. */
export type Props = Record<
  string,
  string | number | boolean | null | undefined | ((event: Event) => unknown)
>;
type Child = Node | string | number | false | null | undefined;
export type Children = Array<Child | Child[]>;

/** An HTML element: props are attributes (on* props are listeners); children are nodes or text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props,
  ...children: Children
): HTMLElementTagNameMap[K] {
  return build(document.createElement(tag), props, children);
}

/** An SVG element, same conventions as el(). */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  props?: Props,
  ...children: Children
): SVGElementTagNameMap[K] {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

function build<E extends Element>(node: E, props: Props | undefined, children: Children): E {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    } else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    // append() turns a string into a text node: never parsed as HTML.
    node.append(typeof child === 'object' ? child : String(child));
  }
  return node;
}

/** "3 s ago", "5 min ago", "2 h ago"; "never" for null. */
export function formatAge(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** KiB as MiB or GiB. */
export function formatMemory(kib: number): string {
  const mib = kib / 1024;
  return mib < 1024 ? `${mib.toFixed(mib < 10 ? 1 : 0)} MiB` : `${(mib / 1024).toFixed(1)} GiB`;
}

/** A share (0..1) as a whole percentage, or one decimal below 10 %. */
export function formatShare(share: number): string {
  const percent = share * 100;
  return `${percent > 0 && percent < 10 ? percent.toFixed(1) : Math.round(percent)} %`;
}

/** Local wall-clock time of an ISO timestamp. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour12: false });
}
