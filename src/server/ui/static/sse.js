/**
 * Reads a Server-Sent Events response from `fetch`. `EventSource` cannot POST a body, so the page parses the
 * stream itself (the format is https://html.spec.whatwg.org/multipage/server-sent-events.html).
 */

/**
 * @typedef {{ event: string, data: string }} StreamEvent
 */

/**
 * Calls `onEvent` for each event as it arrives; resolves when the stream ends, rejects when it breaks.
 * @param {Response} response
 * @param {(event: StreamEvent) => void} onEvent
 * @returns {Promise<void>}
 */
export async function readEventStream(response, onEvent) {
  if (!response.body) throw new Error('The response has no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    // A lone "\r" at the end may be the first half of "\r\n": leave it for the next read.
    const keep = buffer.endsWith('\r') ? 1 : 0;
    const ready = buffer.slice(0, buffer.length - keep).replace(/\r\n?/g, '\n');
    const blocks = ready.split('\n\n');
    buffer = blocks.pop() + buffer.slice(buffer.length - keep);
    for (const block of blocks) {
      const event = parseBlock(block);
      if (event) onEvent(event);
    }
  }
}

/**
 * @param {string} block
 * @returns {StreamEvent|null}
 */
function parseBlock(block) {
  let event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : null;
}
