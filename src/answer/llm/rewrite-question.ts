import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { QuestionRewriter } from '../follow-up.js';

/**
 * A rewriter that asks the chat model to turn a follow-up into a standalone question, keeping the user's language.
 * When the model fails or answers with something unusable, the fallback rewriter (term carry-over) decides, so a
 * flaky endpoint never blocks an answer.
 */
export function createLlmRewriter(model: BaseChatModel, fallback: QuestionRewriter, onError?: (error: unknown) => void): QuestionRewriter {
  return {
    async rewrite(question, history) {
      try {
        const recent = history.slice(-4).map((q, i) => `${i + 1}. ${q}`).join('\n');
        const reply = await model.invoke([
          new SystemMessage(
            'Rewrite the last question of a conversation about scientific abstracts as one standalone search question. ' +
              'Resolve pronouns and ellipsis from the earlier questions; keep the language of the last question; ' +
              'reply with the rewritten question only. If it already stands alone, repeat it unchanged.',
          ),
          new HumanMessage(`Earlier questions:\n${recent}\n\nLast question: ${question}`),
        ]);
        const text = (typeof reply.content === 'string' ? reply.content : '').trim().replace(/^["“]|["”]$/g, '');
        if (text && text.length <= 2000 && !text.includes('\n')) return text;
      } catch (error) {
        onError?.(error);
      }
      return fallback.rewrite(question, history);
    },
  };
}
