import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';

/** An OpenAI-compatible chat endpoint: Ollama, vLLM, llama.cpp server, OpenAI. */
export interface LlmEndpoint {
  /** Base URL of the API, e.g. `http://127.0.0.1:11434/v1` for Ollama. */
  baseUrl: string;
  /** Model name as the endpoint knows it. */
  model: string;
  /** Bearer key; local servers ignore it. @default 'not-needed' */
  apiKey?: string;
  /** Per-request timeout. @default 60000 */
  timeoutMs?: number;
}

/** LangChain's OpenAI adapter pointed at any compatible endpoint, deterministic (temperature 0), one retry. */
export function createChatModel(endpoint: LlmEndpoint): BaseChatModel {
  return new ChatOpenAI({
    model: endpoint.model,
    apiKey: endpoint.apiKey || 'not-needed',
    temperature: 0,
    maxRetries: 1,
    timeout: endpoint.timeoutMs ?? 60_000,
    configuration: { baseURL: endpoint.baseUrl },
  });
}
