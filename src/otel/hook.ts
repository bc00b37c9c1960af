/**
 * The hook `instrument` adds: an INTERNAL span per call, a CLIENT span per attempt under it, a
 * span per group (a paginated iteration, a waiter's polls) over its calls, and the metrics of
 * each attempt and retry. Parents are carried by the observers (hooks.ts), never looked up in the
 * async context after a call began: `context.active()` is read once, in the caller's frame.
 */
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Counter,
  type Histogram,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type {
  AttemptInfo,
  AttemptObserver,
  CallInfo,
  CallObserver,
  GroupInfo,
  GroupObserver,
  Hook,
} from '../core/hooks.js';
import {
  errorType,
  methodAttributes,
  safeMessage,
  scrub,
  statusErrorType,
  fullUrl,
} from './attributes.js';

/** What the hook records with. */
export interface Telemetry {
  tracer: Tracer;
  /** The metric instruments, made on first use (see `instrument`). */
  instruments(): { duration: Histogram; retries: Counter };
  /** `server.address` and `server.port` of the call's base URL, worked out once per client. */
  server(call: CallInfo): Attributes;
  /** Which trace-context headers an attempt of `operationId` may carry (CORS, in a browser). */
  mayPropagate(operationId: string | undefined, header: string): boolean;
}

/** What one call's spans share: its span, the context its children start in, events read. */
interface CallState {
  call: CallInfo;
  span: Span;
  context: Context;
  events: number;
  /**
   * The error that ended the last attempt. A stream's call ends with its attempt, and its `end`
   * carries no error (send.ts), so a stream cut mid-way is known from its attempt.
   */
  attemptError?: unknown;
}

export function otelHook(t: Telemetry): Hook {
  return {
    call: (call) => callObserver(t, call, context.active()),
    group: (info) => groupObserver(t, info),
  };
}

function groupObserver(t: Telemetry, { kind }: GroupInfo): GroupObserver {
  const parent = context.active();
  const span = t.tracer.startSpan(
    `feather ${kind}`,
    { kind: SpanKind.INTERNAL, attributes: { 'feather.group.kind': kind } },
    parent,
  );
  const inside = trace.setSpan(parent, span);
  let calls = 0;
  return {
    call(call) {
      // Named after the operation it repeats, which only its calls name: `listAgents pages`.
      if (!calls++) {
        span.updateName(`${call.operationId ?? scrub(call.name, call.redact)} ${kind}`);
        if (call.operationId) span.setAttribute('feather.operation_id', call.operationId);
      }
      return callObserver(t, call, inside);
    },
    end(error) {
      span.setAttribute('feather.group.calls', calls);
      if (error !== undefined) {
        span.setAttribute('error.type', errorType(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}

function callObserver(t: Telemetry, call: CallInfo, parent: Context): CallObserver {
  const { operationId } = call;
  const span = t.tracer.startSpan(
    operationId ?? scrub(call.name, call.redact),
    {
      kind: SpanKind.INTERNAL,
      attributes: operationId ? { 'feather.operation_id': operationId } : {},
    },
    parent,
  );
  const state: CallState = { call, span, context: trace.setSpan(parent, span), events: 0 };
  return {
    attempt: (attempt) => attemptObserver(t, state, attempt),
    retry({ attempt, delayMs, response, error }) {
      const reason = response ? String(response.status) : errorType(error);
      span.addEvent('feather.retry', {
        'feather.retry.attempt': attempt,
        'feather.retry.reason': reason,
        'feather.retry.delay_ms': Math.round(delayMs),
      });
      t.instruments().retries.add(1, {
        'feather.retry.reason': reason,
        ...(operationId && { 'feather.operation_id': operationId }),
        ...methodAttributes(call.method),
      });
    },
    end({ attempts, response, error = state.attemptError }) {
      span.setAttribute('feather.retry_count', Math.max(0, attempts - 1));
      if (state.events) span.setAttribute('feather.stream.events', state.events);
      const type =
        error !== undefined ? errorType(error) : response && statusErrorType(response.status);
      if (type) {
        span.setAttribute('error.type', type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: safeMessage(error, call.redact) });
      }
      span.end();
    },
  };
}

function attemptObserver(t: Telemetry, state: CallState, info: AttemptInfo): AttemptObserver {
  const { call } = state;
  const metricAttributes: Attributes = {
    ...methodAttributes(info.method),
    ...t.server(call),
    // The spec's path, only for an operation of the spec: a path it lacks may be a concrete one.
    ...(call.operationId && { 'url.template': call.path }),
  };
  const span = t.tracer.startSpan(
    call.operationId ? `${info.method} ${call.path}` : info.method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        ...metricAttributes,
        'url.full': fullUrl(info.url, call.redact),
        ...(info.number > 1 && { 'http.request.resend_count': info.number - 1 }),
      },
    },
    state.context,
  );
  propagate(t, call.operationId, trace.setSpan(state.context, span), info.headers);
  const started = performance.now();
  let events = 0;
  return {
    response: ({ status }) => span.setAttribute('http.response.status_code', status),
    event() {
      // The time to the first event is what a streamed turn is judged by.
      if (!events++) span.addEvent('feather.stream.first_event');
      state.events++;
    },
    end({ response, error }) {
      state.attemptError = error;
      const type = error ? errorType(error) : response && statusErrorType(response.status);
      if (events) span.setAttribute('feather.stream.events', events);
      if (type) {
        span.setAttribute('error.type', type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: safeMessage(error, call.redact) });
      }
      span.end();
      t.instruments().duration.record((performance.now() - started) / 1000, {
        ...metricAttributes,
        ...(response && { 'http.response.status_code': response.status }),
        ...(type && { 'error.type': type }),
      });
    },
  };
}

/** W3C trace context (the global propagator's headers) onto one attempt's headers. */
function propagate(
  t: Telemetry,
  operationId: string | undefined,
  attempt: Context,
  headers: Record<string, string>,
): void {
  const carrier: Record<string, string> = {};
  propagation.inject(attempt, carrier);
  for (const name in carrier) {
    if (t.mayPropagate(operationId, name)) headers[name] = carrier[name];
  }
}
