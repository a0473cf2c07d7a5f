import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { sniffEncoding } from '../decode-text.js';

/** A small in-memory element: enough structure to read one PubMed article, nothing more. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: Array<XmlElement | string>;
}

/** One collected element, or the first XML error met while it was open. */
export interface CollectedElement {
  element: XmlElement;
  /** 1-based line where the element starts. */
  line: number;
  /** Set when the XML inside the element was malformed; the element should then not be trusted. */
  error?: string;
}

/** What to collect from the stream. */
export interface ElementStreamOptions {
  /** Names of the elements to build and hand over, wherever they sit. */
  collect: ReadonlySet<string>;
  /** Descendants not worth building (e.g. reference lists), which would only cost memory. */
  ignore?: ReadonlySet<string>;
  onElement(collected: CollectedElement): void;
  /** Errors that say nothing about the collected elements (e.g. a repeated root in concatenated files); ignored. */
  isBenignError?: (message: string) => boolean;
  /** XML errors outside any collected element. */
  onStrayError(line: number, message: string): void;
}

/**
 * Streams an XML file through saxes, building only the elements named in `collect` and dropping each once
 * handed over, so memory stays bounded by the largest single element rather than the file. saxes recovers
 * from most errors, so a malformed element is reported and the elements after it are still read.
 * Returns the text encoding used.
 */
export async function streamXmlElements(filePath: string, options: ElementStreamOptions): Promise<string> {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let ignoreDepth = 0;
  let current: CollectedElement | undefined;

  parser.on('opentag', (tag) => {
    if (ignoreDepth > 0 || (stack.length > 0 && options.ignore?.has(tag.name))) {
      ignoreDepth++;
      return;
    }
    if (stack.length === 0 && !options.collect.has(tag.name)) return;
    // A new element opening while the last one is still unclosed means the last one lost its end tag.
    if (stack.length > 0 && options.collect.has(tag.name) && current) current.error ??= `<${tag.name}> opened inside an unclosed <${current.element.name}>`;
    const element: XmlElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [] };
    if (stack.length === 0) current = { element, line: parser.line };
    else stack[stack.length - 1]?.children.push(element);
    stack.push(element);
  });
  const onText = (text: string): void => {
    if (ignoreDepth === 0 && stack.length > 0) stack[stack.length - 1]?.children.push(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (ignoreDepth > 0) {
      ignoreDepth--;
      return;
    }
    if (stack.length === 0) return;
    stack.pop();
    if (stack.length === 0 && current) {
      const done = current;
      current = undefined;
      options.onElement(done);
    }
  });
  parser.on('error', (error) => {
    const message = error.message.replace(/^\d+:\d+:\s*/, '');
    if (options.isBenignError?.(message)) return;
    if (current) current.error ??= `${message} (line ${parser.line})`;
    else options.onStrayError(parser.line, message);
  });

  let decoder: TextDecoder | undefined;
  let encoding = 'utf-8';
  for await (const chunk of createReadStream(filePath, { highWaterMark: 256 * 1024 })) {
    const bytes = chunk as Buffer;
    if (!decoder) {
      encoding = sniffEncoding(bytes).encoding;
      decoder = new TextDecoder(encoding);
    }
    parser.write(decoder.decode(bytes, { stream: true }));
  }
  if (decoder) parser.write(decoder.decode());
  parser.close();
  // A file cut off mid-element never closes it; report it rather than lose it silently.
  if (current) options.onElement({ ...current, error: 'file ends inside this element (truncated export?)' });
  return encoding;
}

/** Child elements with the given name. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  if (!element) return [];
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** First element along a `/`-separated path of child names. */
export function childAt(element: XmlElement | undefined, path: string): XmlElement | undefined {
  let node = element;
  for (const name of path.split('/')) {
    node = childrenNamed(node, name)[0];
    if (!node) return undefined;
  }
  return node;
}

/** All text inside an element, inline markup (`<i>`, `<sup>`) flattened, ends trimmed. */
export function textOf(element: XmlElement | undefined): string {
  if (!element) return '';
  const parts: string[] = [];
  const visit = (node: XmlElement): void => {
    for (const child of node.children) {
      if (typeof child === 'string') parts.push(child);
      else visit(child);
    }
  };
  visit(element);
  return parts.join('').trim();
}

/** Text at a path, or undefined when the element is absent or empty. */
export function textAt(element: XmlElement | undefined, path: string): string | undefined {
  const text = textOf(childAt(element, path));
  return text || undefined;
}
