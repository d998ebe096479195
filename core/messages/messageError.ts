// A refusal whose sentence is a catalogue message: thrown where the reader's language is not known (the
// database layer), rendered by whoever shows it (the CLI in ctx.lang). Its `message` is the traditional
// text, for logs and for callers that only print.
import { render, type MessageRef } from './index';

export class MessageError extends Error {
  override name = 'MessageError';
  constructor(
    readonly ref: MessageRef,
    options?: { cause?: unknown },
  ) {
    super(render('zh-TW', ref), options);
  }
}
