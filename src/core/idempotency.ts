/**
 * Idempotency keys: where the spec declares one, every call carries one (the caller's, else a
 * fresh UUID), the same on each of its retries, so the server can deduplicate and a retry after
 * a 500 or a timeout is safe. Only operations with a key import this module.
 */

/** What a call is given: the part of it that can carry a key. */
interface Input {
  params?: { header?: Record<string, unknown> };
  body?: unknown;
}

export interface IdempotencyKey {
  in: 'body' | 'header';
  name: string;
  /** The call's input with its key: the caller's if given, else a fresh one. */
  fill<I extends Input>(input: I): I;
}

export const idempotencyKey = (where: 'body' | 'header', name: string): IdempotencyKey => ({
  in: where,
  name,
  fill(input) {
    if (where === 'body') {
      const body = (input.body ?? {}) as Record<string, unknown>;
      return body[name] != null
        ? input
        : { ...input, body: { ...body, [name]: crypto.randomUUID() } };
    }
    const header = input.params?.header ?? {};
    if (header[name] != null) return input;
    return {
      ...input,
      params: { ...input.params, header: { ...header, [name]: crypto.randomUUID() } },
    };
  },
});
