/**
 * Rules that openapi.json states only in prose, so no generator can derive them: one named export
 * per schema, named as the schema. Declared once here and used by:
 * - the validators: scripts/gen/validators.ts wraps the schema's validator with its rule;
 * - the types: scripts/gen/types.ts narrows the schema's type with `Refined<T, typeof rule>`;
 * - the mock server: its issues carry `rule` and `params`, from which the 422's text is built.
 *
 * A rule whose schema a spec lacks is skipped; one that reads a property its schema does not
 * declare fails generation. Adding a rule: see CONTRIBUTING.md.
 */
import { exactlyOneOf, indexInto } from '../core/check.js';

/**
 * From its description: "Exactly one of `output` / `error` must be set: a canned success carries
 * `output` (an explicit `output: null` is a valid null result), a canned failure carries a
 * non-empty `error`". So `output` is set whenever it has a value other than `undefined` (which
 * JSON drops), and `error` whenever it is not null.
 */
export const CannedToolResponse = /* @__PURE__ */ exactlyOneOf({
  output: 'present',
  error: 'nonEmpty',
});

/**
 * From Feather's guide (guides/ingest-documents.mdx) and the spec's description of `bulkIngest`:
 * a `file` item of the manifest "references an uploaded file part by its zero-based index". So a
 * `file_index` must be less than the number of `files` sent; the spec's schema cannot say so.
 */
export const Body_bulkIngest = /* @__PURE__ */ indexInto({
  items: 'manifest',
  index: 'file_index',
  list: 'files',
});
