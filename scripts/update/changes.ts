/**
 * The change report's data: what a spec bump changes for SDK callers, collected per operation,
 * per schema and "other", each change breaking or not.
 */

export interface Detail {
  text: string;
  breaking: boolean;
}

export interface Change {
  /** `GET /v1/agents` for an operation, the schema's name for a schema. */
  target: string;
  operationId?: string;
  action: 'added' | 'removed' | 'changed';
  breaking: boolean;
  details: Detail[];
  /** Changes to descriptions, examples, titles: listed as a count only. */
  docs: number;
}

export interface SpecDiff {
  from: string;
  to: string;
  operations: Change[];
  schemas: Change[];
  /** Servers, security schemes and the like. */
  other: Detail[];
  breaking: number;
  nonBreaking: number;
}

/** The changes found so far, one entry per operation and per schema. */
export class Findings {
  readonly operations = new Map<string, Change>();
  readonly schemas = new Map<string, Change>();
  readonly other: Detail[] = [];

  operation(target: string, action: Change['action'], operationId?: string): Change {
    const change = this.entry(this.operations, target, action);
    if (operationId) change.operationId = operationId;
    return change;
  }

  schema(name: string, action: Change['action']): Change {
    return this.entry(this.schemas, name, action);
  }

  /** A detail, or without one a documentation-only change. */
  note(change: Change, detail?: Detail): void {
    if (!detail) {
      change.docs++;
      return;
    }
    // The same words twice (a schema reached twice from one response) say nothing new.
    if (change.details.some((d) => d.text === detail.text && d.breaking === detail.breaking))
      return;
    change.details.push(detail);
    if (detail.breaking) change.breaking = true;
  }

  /** The report: changes with something to say, sorted, and counted. */
  summary(from: string, to: string): SpecDiff {
    const operations = listed(this.operations);
    const schemas = listed(this.schemas);
    // Counted per operation and schema (and other item), not per detail: one removed response
    // field is one breaking change of its schema and of each operation that returns it.
    // A change with documentation edits only is listed, not counted.
    const counted = [...operations, ...schemas].filter(
      (c) => c.action !== 'changed' || c.details.length,
    );
    const items: (Change | Detail)[] = [...counted, ...this.other];
    return {
      from,
      to,
      operations,
      schemas,
      other: this.other,
      breaking: items.filter((item) => item.breaking).length,
      nonBreaking: items.filter((item) => !item.breaking).length,
    };
  }

  private entry(map: Map<string, Change>, target: string, action: Change['action']): Change {
    let change = map.get(target);
    if (!change) {
      change = { target, action, breaking: false, details: [], docs: 0 };
      map.set(target, change);
    }
    if (action !== 'changed') change.action = action;
    return change;
  }
}

function listed(map: Map<string, Change>): Change[] {
  return [...map.values()]
    .filter((c) => c.action !== 'changed' || c.details.length || c.docs)
    .sort((a, b) => a.target.localeCompare(b.target));
}
