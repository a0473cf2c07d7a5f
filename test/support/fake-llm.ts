/**
 * A real OpenAI-compatible HTTP endpoint on 127.0.0.1 (port 0) whose replies the test decides. The product talks to
 * it through LangChain's OpenAI adapter exactly as it would to Ollama or vLLM.
 */
import { Hono } from 'hono';
import { startServer, type RunningServer } from '../../src/server/serve.js';

/** The fake endpoint: `reply` decides the completion text from the prompt; `requests` records what was sent. */
export interface FakeLlm {
  baseUrl: string;
  requests: Array<{ model: string; messages: Array<{ role: string; content: string }> }>;
  reply: (prompt: string) => string;
  close(): Promise<void>;
}

/** Starts the fake endpoint. */
export async function startFakeLlm(): Promise<FakeLlm> {
  const app = new Hono();
  let server: RunningServer;
  const fake: FakeLlm = {
    baseUrl: '',
    requests: [],
    reply: () => 'NO_ANSWER',
    close: () => server.close(),
  };
  app.post('/v1/chat/completions', async (c) => {
    const body = await c.req.json();
    fake.requests.push(body);
    const prompt = body.messages.map((m: { content: string }) => m.content).join('\n');
    return c.json({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: fake.reply(prompt) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
  });
  server = await startServer(app, { host: '127.0.0.1', port: 0 });
  fake.baseUrl = `${server.url}/v1`;
  return fake;
}
