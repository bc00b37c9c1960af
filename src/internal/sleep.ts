import { APIUserAbortError } from '../core/errors.js';

/** Sleeps, unless the caller aborts first; `what` names the wait in the abort's message. */
export function sleep(
  ms: number,
  signal: AbortSignal | undefined,
  what = 'a retry wait',
): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError(`Request aborted by the caller during ${what}`));
    };
    // An abort that landed as the answer arrived fires no event: without this, the retry goes out.
    if (signal?.aborted) return onAbort();
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // No `once`: a signal aborts only once, and the timer's end removes the listener.
    signal?.addEventListener('abort', onAbort);
  });
}
